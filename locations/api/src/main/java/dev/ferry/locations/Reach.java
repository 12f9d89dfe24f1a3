package dev.ferry.locations;

/** Who opens a location of a kind: an agent next to the storage, the control plane itself, or either. */
public enum Reach {
    /** Storage only an agent's host reaches (a directory, an NFS export, an SMB share, HDFS). */
    AGENT,
    /** Storage the control plane reaches itself (a cloud object store). */
    CONTROL_PLANE,
    /** Either: through an agent when the location names agents, else by the control plane. */
    EITHER
}
