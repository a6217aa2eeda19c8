package dev.inlet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classes one cold-start child loaded, read from its {@code -Xlog:class+load} file and counted by
 * origin: the JDK's CDS archive (mapped, not parsed), the JDK's modules (parsed), classes the JVM
 * generates at run time (lambdas, method-handle forms, string concatenation), and the jar's classes by
 * library. Generated names carry an address ({@code $$Lambda$12/0x...}); they are compared by their
 * stem, so two children that spin the same lambdas compare equal.
 */
final class ClassLoads {
    private static final Pattern LINE = Pattern.compile("\\[class,load\\] (\\S+) source: (.*)$");

    /** Groups in the order the table prints them; the first prefix that matches wins. */
    private static final String[][] GROUPS = {
            {"dev.inlet.", "dev.inlet (Inlet's code)"},
            {"com.fasterxml.jackson.core.", "jackson-core"},
            {"com.fasterxml.jackson.databind.", "jackson-databind"},
            {"com.fasterxml.jackson.", "jackson, other"},
            {"software.amazon.awssdk.thirdparty.", "AWS SDK, its shaded Jackson"},
            {"software.amazon.awssdk.services.dynamodb.", "AWS SDK, dynamodb"},
            {"software.amazon.awssdk.services.sqs.", "AWS SDK, sqs"},
            {"software.amazon.awssdk.services.secretsmanager.", "AWS SDK, secretsmanager"},
            {"software.amazon.awssdk.http.urlconnection.", "AWS SDK, url-connection client"},
            {"software.amazon.awssdk.", "AWS SDK, core (core, awscore, http, auth, regions, protocols, utils...)"},
            {"com.amazonaws.services.lambda.", "Lambda runtime interfaces (aws-lambda-java-core)"},
            {"com.amazonaws.xray.", "X-Ray SDK"},
            {"org.apache.commons.logging.", "commons-logging"},
            {"org.apache.", "Apache (httpclient...)"},
            {"org.slf4j.", "SLF4J (+ our binding)"},
            {"org.crac.", "org.crac (SnapStart priming hook)"},
    };

    static final String CDS = "JDK, from the CDS archive (mapped, not parsed)";
    static final String JRT = "JDK, from its modules (parsed)";
    static final String GENERATED = "generated at run time (lambdas, method handles, string concat)";

    private final Map<String, String> sources;       // normalized name -> source
    private final Map<String, Integer> counts;        // normalized name -> how many (generated names repeat)

    private ClassLoads(Map<String, String> sources, Map<String, Integer> counts) {
        this.sources = sources;
        this.counts = counts;
    }

    static ClassLoads read(Path log) throws IOException {
        Map<String, String> sources = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                String name = m.group(1).replaceAll("\\$\\$Lambda\\$\\d+", "\\$\\$Lambda").replaceAll("/0x[0-9a-f]+", "");
                sources.putIfAbsent(name, m.group(2));
                counts.merge(name, 1, Integer::sum);
            }
        }
        return new ClassLoads(sources, counts);
    }

    int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    static String group(String name, String source) {
        if (name.contains("$$Lambda") || source.startsWith("__")) {
            return GENERATED;
        }
        for (String[] g : GROUPS) {
            if (name.startsWith(g[0])) {
                return g[1];
            }
        }
        if (source.equals("shared objects file")) {
            return CDS;
        }
        if (source.startsWith("jrt:/")) {
            return JRT;
        }
        return "other: " + name.substring(0, Math.max(0, name.lastIndexOf('.')));
    }

    /** Count per group, in table order. */
    Map<String, Integer> byGroup() {
        return byGroup(this.counts);
    }

    private Map<String, Integer> byGroup(Map<String, Integer> names) {
        Map<String, Integer> out = new TreeMap<>(ClassLoads::compareGroups);
        names.forEach((n, c) -> out.merge(group(n, sources.get(n)), c, Integer::sum));
        return out;
    }

    /** What this child loaded beyond {@code base} (generated classes counted by stem), by group. */
    Map<String, Integer> beyond(ClassLoads base) {
        return byGroup(extra(base));
    }

    Map<String, Integer> extra(ClassLoads base) {
        Map<String, Integer> extra = new LinkedHashMap<>();
        counts.forEach((n, c) -> {
            int more = c - base.counts.getOrDefault(n, 0);
            if (more > 0) {
                extra.put(n, more);
            }
        });
        return extra;
    }

    /** The packages (or, for generated classes, the defining class) with the most classes beyond {@code base}. */
    List<Map.Entry<String, Integer>> topPackagesBeyond(ClassLoads base, int n) {
        Map<String, Integer> packages = new TreeMap<>();
        extra(base).forEach((name, c) -> {
            String stem = name.contains("$$Lambda") ? name.substring(0, name.indexOf("$$Lambda")) + " (lambdas)"
                    : name.startsWith("java.lang.invoke.") && name.contains("$") ? "java.lang.invoke (generated forms)"
                    : name.substring(0, Math.max(0, name.lastIndexOf('.')));
            packages.merge(stem, c, Integer::sum);
        });
        List<Map.Entry<String, Integer>> top = new ArrayList<>(packages.entrySet());
        top.sort((a, b) -> b.getValue() - a.getValue());
        return top.subList(0, Math.min(n, top.size()));
    }

    static int compareGroups(String a, String b) {
        int ia = rank(a);
        int ib = rank(b);
        return ia != ib ? Integer.compare(ia, ib) : a.compareTo(b);
    }

    private static int rank(String group) {
        if (group.equals(CDS)) {
            return 0;
        }
        if (group.equals(JRT)) {
            return 1;
        }
        if (group.equals(GENERATED)) {
            return 2;
        }
        for (int i = 0; i < GROUPS.length; i++) {
            if (GROUPS[i][1].equals(group)) {
                return 3 + i;
            }
        }
        return 100;
    }
}
