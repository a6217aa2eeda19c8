package dev.inlet.core.store;

/** The result of the conditional put at the commit point. A duplicate is a value, not an exception. */
public sealed interface CreateOutcome {
    record Created() implements CreateOutcome {}

    /** A live record already holds this key; it is returned without its body. */
    record Existing(EventRecord existing) implements CreateOutcome {}
}
