package org.sehathub.ingest;

/**
 * Makes sender-supplied values fit for a log line: control characters (a CR/LF could forge a log
 * line) become {@code _} and long values are cut. Only values that are not patient identities go
 * through here (facility, message id, locations); reasons never reach the log at all.
 */
public final class SafeLog {

    private static final int MAX = 80;

    private SafeLog() {}

    public static String value(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(raw.length(), MAX));
        for (int i = 0; i < raw.length() && out.length() < MAX; i++) {
            char c = raw.charAt(i);
            out.append(Character.isISOControl(c) ? '_' : c);
        }
        return raw.length() > MAX ? out + "..." : out.toString();
    }
}
