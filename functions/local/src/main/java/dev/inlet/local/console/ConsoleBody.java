package dev.inlet.local.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.json.Json;
import dev.inlet.local.emulator.HttpApiEvents;
import java.util.Arrays;

/**
 * A stored body as the console shows it, always as text the page puts into the DOM as text (never as
 * HTML): pretty-printed when it is JSON; otherwise its UTF-8 text with control characters escaped; and
 * a hex dump when it is not UTF-8 at all (a quarantined body may be anything).
 */
public final class ConsoleBody {
    private ConsoleBody() {
    }

    static ObjectNode describe(byte[] body, int maxShown) {
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("bytes", body.length);
        byte[] shown = body.length > maxShown ? Arrays.copyOf(body, maxShown) : body;
        out.put("truncated", shown.length < body.length);
        String text = HttpApiEvents.utf8OrNull(shown);
        if (text == null) {
            out.put("format", "binary");
            out.put("hex", hex(shown));
            return out;
        }
        if (shown.length == body.length) {
            try {
                JsonNode json = Json.parse(body);
                if (json != null && json.isContainerNode()) {
                    out.put("format", "json");
                    out.put("text", Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
                    return out;
                }
            } catch (java.io.IOException | RuntimeException notJson) {
                // shown as text below
            }
        }
        out.put("format", "text");
        out.put("text", escapeControls(text));
        out.put("hex", hex(shown));
        return out;
    }

    /** Control characters (but newline and tab) as {@code \\u00XX}, so nothing invisible hides in the text. */
    static String escapeControls(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** 16 bytes a line: offset, hex, and the printable ASCII (others as '.'). */
    static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 4 + 16);
        for (int line = 0; line < bytes.length; line += 16) {
            out.append(String.format("%08x ", line));
            StringBuilder ascii = new StringBuilder(16);
            for (int i = line; i < line + 16; i++) {
                if (i < bytes.length) {
                    int b = bytes[i] & 0xff;
                    out.append(String.format(" %02x", b));
                    ascii.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
                } else {
                    out.append("   ");
                }
            }
            out.append("  ").append(ascii).append('\n');
        }
        return out.toString();
    }
}
