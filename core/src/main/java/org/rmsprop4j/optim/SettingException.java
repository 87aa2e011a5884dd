package org.rmsprop4j.optim;

/**
 * A refused setting of {@link OptimizerSpecs}: the message names the setting, the value and what is
 * accepted; {@link #key()} says which setting, so that a command line can name its own option instead.
 */
public final class SettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    /** The refused setting (serialized); see {@link #key()}. */
    private final String key;
    /** The message without the setting's name (serialized); see {@link #detail()}. */
    private final String detail;

    SettingException(String key, String detail) {
        super(key + " " + detail);
        this.key = key;
        this.detail = detail;
    }

    /** The setting ({@code "lr"}, {@code "decay"}, ...), or {@code "kind"} for the optimizer's name. */
    public String key() { return key; }

    /** The message without the setting's name ({@code "must be a finite number >= 0, got -1.0"}). */
    public String detail() { return detail; }
}
