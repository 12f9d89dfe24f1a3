package dev.ferry.engine.transfer;

/**
 * One item that did not make it, for the report and the API.
 *
 * @param key the item's key
 * @param phase PREPARE, TRANSFER or VERIFY
 * @param code stable error code
 * @param message what happened
 */
public record FileFailure(String key, String phase, String code, String message) {
}
