package dev.inlet.local.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Command-line arguments: positionals, {@code --flag value} options and {@code --switch}es, checked. */
public final class Args {
    private final List<String> positionals = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();
    private final Set<String> switches = new HashSet<>();

    /** @throws UsageException on an unknown option or a missing value */
    public Args(List<String> raw, Set<String> valueOptions, Set<String> switchOptions) {
        for (int i = 0; i < raw.size(); i++) {
            String a = raw.get(i);
            if (a.startsWith("--")) {
                String name = a.substring(2);
                String inline = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    inline = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (switchOptions.contains(name) && inline == null) {
                    switches.add(name);
                } else if (valueOptions.contains(name)) {
                    if (inline == null && (i + 1 >= raw.size() || raw.get(i + 1).startsWith("--"))) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    options.put(name, inline != null ? inline : raw.get(++i));
                } else {
                    throw new UsageException("unknown option --" + name);
                }
            } else {
                positionals.add(a);
            }
        }
    }

    public List<String> positionals() {
        return positionals;
    }

    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    int intOption(String name, int defaultValue) {
        String v = options.get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 0 || n > 65535) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number from 0 to 65535");
        }
    }

    public boolean has(String name) {
        return switches.contains(name);
    }

    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
