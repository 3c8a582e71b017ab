package io.multuseni.errors;

/**
 * What went wrong, in words an operator can act on. Libraries often throw with no message ("null"), or a
 * generic one ("An error has occurred."), and put the real reason in a cause: an unknown host, a refused
 * connection, a YAML parse error.
 */
public final class Causes {
    private Causes() {}

    /** The failure's own message, followed by its innermost cause's type and message when that says more. */
    public static String of(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String own = usable(e.getMessage());
        String rootText = root.getClass().getSimpleName() + (usable(root.getMessage()) == null ? ""
                : ": " + usable(root.getMessage()));
        if (root == e) {
            return own != null ? own : rootText;
        }
        return own == null ? rootText : own.contains(rootText) ? own : own + " (" + rootText + ")";
    }

    /** The first line of a message, or null when it says nothing. */
    private static String usable(String message) {
        if (message == null || message.isBlank() || message.equals("null")) {
            return null;
        }
        return message.lines().findFirst().orElse("").trim();
    }
}
