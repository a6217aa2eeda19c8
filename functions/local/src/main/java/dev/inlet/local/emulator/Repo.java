package dev.inlet.local.emulator;

import dev.inlet.embedded.SamTemplate;
import java.nio.file.Path;

/** Where the repository is: {@code -Dinlet.home} from the launcher, else found from the working directory. */
public final class Repo {
    private Repo() {
    }

    public static Path root() {
        String home = System.getProperty("inlet.home");
        return home != null ? Path.of(home) : SamTemplate.locate().getParent();
    }

    public static Path template() {
        return root().resolve("template.yaml");
    }

    public static EnvFile envFile() {
        return EnvFile.load(root().resolve("events").resolve("env.json"));
    }
}
