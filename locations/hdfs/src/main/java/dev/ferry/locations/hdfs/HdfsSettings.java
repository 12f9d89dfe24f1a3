package dev.ferry.locations.hdfs;

import dev.ferry.locations.KerberosCredentials;
import java.util.List;
import java.util.Optional;

/**
 * Settings of an {@code hdfs} location: a directory in an HDFS cluster.
 *
 * @param nameNodes the cluster's name nodes, {@code host:port}; two or more form an HA pair
 * @param directory absolute directory in the cluster; the location's root
 * @param blockSize block size of new files, in bytes
 * @param replication replicas of each block of new files
 * @param user the user Ferry acts as: SIMPLE's user, or the Kerberos principal's
 * @param rpcProtection {@code DISABLED}, {@code AUTHENTICATION}, {@code INTEGRITY} or {@code PRIVACY}
 * @param dataTransferProtection likewise, for block transfers to and from data nodes
 * @param kerberos present with KERBEROS authentication
 * @param nameNodePrincipal with KERBEROS, the name nodes' service principal ({@code _HOST} stands
 *     for the host connected to)
 */
public record HdfsSettings(List<String> nameNodes, String directory, long blockSize, int replication, String user,
        String rpcProtection, String dataTransferProtection, Optional<KerberosCredentials> kerberos, String nameNodePrincipal) {
    public HdfsSettings {
        nameNodes = List.copyOf(nameNodes);
    }
}
