package dev.ferry.locations.smb;

import com.hierynomus.mssmb2.SMB2Dialect;
import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.SmbConfig;
import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.connection.Connection;
import com.hierynomus.smbj.session.Session;
import com.hierynomus.smbj.share.DiskShare;
import com.hierynomus.smbj.share.Share;
import dev.ferry.locations.LocationException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;

/**
 * One authenticated session on the server and the share it is connected to, made on first use
 * and made again when the connection drops. The session is encrypted only where the share
 * requires it (it refuses an unencrypted tree connect), since encryption costs CPU on both
 * ends. Threading: smbj multiplexes calls from many threads over the one connection;
 * {@link #get()} is safe to call from any thread.
 */
final class SmbShare implements AutoCloseable {
    private final SmbSettings settings;
    private final SMBClient plain;
    private final SMBClient encrypting;
    private boolean encrypt;
    private Connection connection;
    private Session session;
    private DiskShare share;
    private final KerberosLogin kerberos;

    SmbShare(SmbSettings settings) {
        this.settings = settings;
        this.plain = new SMBClient(config(settings, false));
        this.encrypting = new SMBClient(config(settings, true));
        this.kerberos = settings.kerberos().map(KerberosLogin::new).orElse(null);
    }

    private static SmbConfig config(SmbSettings settings, boolean encrypt) {
        return SmbConfig.builder()
                .withDialects(dialects(settings.version()))
                .withSocketFactory(new NoDelaySocketFactory())
                .withTimeout(60, TimeUnit.SECONDS)
                .withSoTimeout(120, TimeUnit.SECONDS)
                .withMultiProtocolNegotiate(true)
                .withEncryptData(encrypt)
                .build();
    }

    /** Whether the session is encrypted (the share asked for it). */
    synchronized boolean encrypted() {
        return encrypt;
    }

    private static Set<SMB2Dialect> dialects(String version) {
        return switch (version) {
            case "SMB2" -> EnumSet.of(SMB2Dialect.SMB_2_0_2, SMB2Dialect.SMB_2_1);
            case "SMB3" -> EnumSet.of(SMB2Dialect.SMB_3_0, SMB2Dialect.SMB_3_0_2, SMB2Dialect.SMB_3_1_1);
            default -> EnumSet.of(SMB2Dialect.SMB_2_0_2, SMB2Dialect.SMB_2_1, SMB2Dialect.SMB_3_0, SMB2Dialect.SMB_3_0_2,
                    SMB2Dialect.SMB_3_1_1);
        };
    }

    synchronized DiskShare get() {
        if (share != null && share.isConnected()) {
            return share;
        }
        closeQuietly();
        try {
            Share connected;
            try {
                connected = connect(encrypt ? encrypting : plain);
            } catch (com.hierynomus.mssmb2.SMBApiException e) {
                if (encrypt || e.getStatus() != com.hierynomus.mserref.NtStatus.STATUS_ACCESS_DENIED
                        || e.getFailedCommand() != com.hierynomus.mssmb2.SMB2MessageCommandCode.SMB2_TREE_CONNECT) {
                    throw e;
                }
                closeQuietly();
                encrypt = true;
                connected = connect(encrypting);
            }
            if (!(connected instanceof DiskShare disk)) {
                connected.close();
                throw new LocationException("NOT_A_DISK_SHARE", settings.share() + " is not a file share");
            }
            share = disk;
            return share;
        } catch (IOException e) {
            closeQuietly();
            throw new LocationException("SMB_UNREACHABLE", "cannot reach " + settings.host() + ":" + settings.port() + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly();
            throw SmbLocation.failure("/", e);
        }
    }

    private Share connect(SMBClient client) throws IOException {
        connection = client.connect(settings.host(), settings.port());
        session = connection.authenticate(kerberos != null ? kerberos.authenticationContext()
                : new AuthenticationContext(settings.user(), settings.password().toCharArray(), settings.domain().orElse("")));
        return session.connectShare(settings.share());
    }

    private void closeQuietly() {
        try {
            if (share != null) {
                share.close();
            }
        } catch (IOException | RuntimeException ignored) {
            // Closing a session that is gone already.
        }
        try {
            if (connection != null) {
                connection.close(true);
            }
        } catch (IOException | RuntimeException ignored) {
            // Likewise.
        }
        share = null;
        session = null;
        connection = null;
    }

    @Override
    public synchronized void close() {
        closeQuietly();
        plain.close();
        encrypting.close();
        if (kerberos != null) {
            kerberos.close();
        }
    }

    /** Small requests follow each other quickly; Nagle's algorithm would hold each back (writes twice as fast without). */
    private static final class NoDelaySocketFactory extends SocketFactory {
        private final SocketFactory plain = SocketFactory.getDefault();

        @Override
        public Socket createSocket() throws IOException {
            Socket socket = plain.createSocket();
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return tuned(plain.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return tuned(plain.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return tuned(plain.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return tuned(plain.createSocket(address, port, localAddress, localPort));
        }

        private static Socket tuned(Socket socket) throws IOException {
            socket.setTcpNoDelay(true);
            return socket;
        }
    }
}
