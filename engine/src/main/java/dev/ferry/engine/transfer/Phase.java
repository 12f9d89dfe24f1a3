package dev.ferry.engine.transfer;

/** The phases of one execution that the engine itself moves through. */
public enum Phase {
    PREPARING,
    TRANSFERRING,
    VERIFYING
}
