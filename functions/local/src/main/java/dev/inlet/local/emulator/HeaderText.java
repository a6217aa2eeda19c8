package dev.inlet.local.emulator;

/**
 * What a Lambda's response may put in an HTTP header (RFC 9110). API Gateway answers 500 when a function
 * returns a header it cannot send; the local server checks the same before writing anything.
 */
final class HeaderText {
    private HeaderText() {
    }

    /** A token: the characters a field name may hold. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A field value: visible characters, spaces and tabs; no CR, LF or other controls. */
    static boolean isFieldValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                return false;
            }
        }
        return true;
    }
}
