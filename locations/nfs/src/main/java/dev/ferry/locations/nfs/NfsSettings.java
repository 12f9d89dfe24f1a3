package dev.ferry.locations.nfs;

import java.util.OptionalInt;

/**
 * Settings of an {@code nfs} location: a directory in an export of an NFS server.
 *
 * @param host server host name or address
 * @param port the NFS service's port (2049 unless the server says otherwise)
 * @param mountPort the MOUNT service's port; empty to ask the server's port mapper
 * @param path the export, or a directory inside it, as an absolute path
 * @param version {@code AUTOMATIC} or {@code NFS3}
 * @param uid the user id Ferry acts as (AUTH_UNIX); writing other owners needs 0 and no root squash
 * @param gid the group id Ferry acts as
 */
public record NfsSettings(String host, int port, OptionalInt mountPort, String path, String version, int uid, int gid) {
}
