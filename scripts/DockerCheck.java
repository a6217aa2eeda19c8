import org.testcontainers.DockerClientFactory;

/**
 * Run by the root pom's localstack profile before anything builds ({@code java -cp <testcontainers> DockerCheck.java}):
 * exits 1 with one line when Testcontainers finds no Docker engine, so {@code -Plocalstack} fails in seconds
 * instead of failing (or, before, skipping) every integration test one by one.
 */
public class DockerCheck {
    public static void main(String[] args) {
        java.io.PrintStream err = System.err;
        boolean available;
        System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));   // SLF4J's no-binding notes
        try {
            available = DockerClientFactory.instance().isDockerAvailable();
        } finally {
            System.setErr(err);
        }
        if (!available) {
            System.err.println("-Plocalstack needs a Docker engine, and Testcontainers found none here "
                    + "(DOCKER_HOST, /var/run/docker.sock, ~/.testcontainers.properties): start Docker, "
                    + "or run ./mvnw verify without -Plocalstack for the embedded backends");
            System.exit(1);
        }
    }
}
