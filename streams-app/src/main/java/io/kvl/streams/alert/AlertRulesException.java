package io.kvl.streams.alert;

/** An invalid rules file: the message names the file, the line and the reason. */
public final class AlertRulesException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AlertRulesException(String file, int line, String reason) {
        super(file + (line > 0 ? " line " + line : "") + ": " + reason);
    }

    public AlertRulesException(String file, int line, String reason, Throwable cause) {
        super(file + (line > 0 ? " line " + line : "") + ": " + reason, cause);
    }
}
