package dev.inlet.local.parity;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CloudWatch Logs' filter pattern for JSON log events, the part metric filters here use: {@code { expr }}
 * where expr combines {@code $.field op value} terms with {@code &&}, {@code ||} (&& binds tighter) and
 * parentheses. A quoted value compares with a string field ({@code *} is a wildcard); a number with a
 * number field (=, !=, <, <=, >, >=). A field that is absent never matches. Anything else is refused,
 * so a pattern this class cannot read fails the test instead of passing it.
 */
final class JsonFilterPattern {
    private static final Pattern TOKEN = Pattern.compile(
            "\\s*(\\(|\\)|&&|\\|\\||\\$\\.[A-Za-z0-9_.]+|!=|>=|<=|=|>|<|\"(?:[^\"\\\\]|\\\\.)*\"|-?[0-9]+(?:\\.[0-9]+)?)");
    private final List<String> tokens;
    private int pos;

    private JsonFilterPattern(List<String> tokens) {
        this.tokens = tokens;
    }

    static boolean matches(String pattern, JsonNode event) {
        String p = pattern.trim();
        if (!p.startsWith("{") || !p.endsWith("}")) {
            throw new IllegalArgumentException("not a JSON filter pattern: " + pattern);
        }
        String inner = p.substring(1, p.length() - 1);
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(inner);
        int at = 0;
        while (at < inner.length() && !inner.substring(at).isBlank()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("cannot read " + pattern + " at " + inner.substring(at));
            }
            tokens.add(m.group(1));
            at = m.end();
        }
        JsonFilterPattern parser = new JsonFilterPattern(tokens);
        boolean result = parser.or(event);
        if (parser.pos != tokens.size()) {
            throw new IllegalArgumentException("trailing " + tokens.subList(parser.pos, tokens.size()) + " in " + pattern);
        }
        return result;
    }

    private boolean or(JsonNode e) {
        boolean value = and(e);
        while (peek("||")) {
            pos++;
            value = and(e) | value;
        }
        return value;
    }

    private boolean and(JsonNode e) {
        boolean value = term(e);
        while (peek("&&")) {
            pos++;
            value = term(e) & value;
        }
        return value;
    }

    private boolean term(JsonNode e) {
        if (peek("(")) {
            pos++;
            boolean value = or(e);
            expect(")");
            return value;
        }
        String selector = next();
        if (!selector.startsWith("$.")) {
            throw new IllegalArgumentException("a selector was expected, got " + selector);
        }
        String op = next();
        String literal = next();
        JsonNode field = e;
        for (String part : selector.substring(2).split("\\.")) {
            field = field.path(part);
        }
        if (field.isMissingNode() || field.isNull()) {
            return false;
        }
        if (literal.startsWith("\"")) {
            String text = literal.substring(1, literal.length() - 1);
            boolean equal = field.isTextual() && glob(text).matcher(field.asText()).matches();
            return switch (op) {
                case "=" -> equal;
                case "!=" -> field.isTextual() && !equal;
                default -> throw new IllegalArgumentException(op + " on a string");
            };
        }
        if (!field.isNumber()) {
            return false;
        }
        int c = field.decimalValue().compareTo(new BigDecimal(literal));
        return switch (op) {
            case "=" -> c == 0;
            case "!=" -> c != 0;
            case ">" -> c > 0;
            case "<" -> c < 0;
            case ">=" -> c >= 0;
            case "<=" -> c <= 0;
            default -> throw new IllegalArgumentException(op);
        };
    }

    private static Pattern glob(String text) {
        List<String> parts = new ArrayList<>();
        for (String part : text.split("\\*", -1)) {
            parts.add(Pattern.quote(part));
        }
        return Pattern.compile(String.join(".*", parts), Pattern.DOTALL);
    }

    private boolean peek(String token) {
        return pos < tokens.size() && tokens.get(pos).equals(token);
    }

    private String next() {
        if (pos >= tokens.size()) {
            throw new IllegalArgumentException("the pattern ends too early");
        }
        return tokens.get(pos++);
    }

    private void expect(String token) {
        if (!token.equals(next())) {
            throw new IllegalArgumentException(token + " expected");
        }
    }
}
