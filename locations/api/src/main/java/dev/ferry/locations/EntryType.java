package dev.ferry.locations;

/** What an entry is. Types other than files and directories are listed so they can be reported. */
public enum EntryType {
    FILE,
    DIRECTORY,
    SYMLINK,
    /** Devices, FIFOs, sockets. */
    OTHER
}
