package dev.ferry.locations.posix;

/**
 * Settings of a {@code posix} location: a directory on the agent's host (a local disk, or a mounted
 * NFS, SMB, EFS or FSx file system).
 *
 * @param path absolute path of the location's root directory
 */
public record PosixSettings(String path) {
}
