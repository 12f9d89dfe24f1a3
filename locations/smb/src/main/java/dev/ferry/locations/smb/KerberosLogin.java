package dev.ferry.locations.smb;

import com.hierynomus.smbj.auth.GSSAuthenticationContext;
import dev.ferry.locations.KerberosCredentials;
import dev.ferry.locations.KerberosFiles;
import dev.ferry.locations.LocationException;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.Oid;

/**
 * Logs in to Kerberos from a location's keytab, for SMB's SPNEGO. Each login is made afresh, so
 * a reconnect after the ticket expired works; the files it needs are {@link KerberosFiles}'.
 */
final class KerberosLogin implements AutoCloseable {
    private static final Oid KERBEROS_V5 = oid("1.2.840.113554.1.2.2");

    private final KerberosCredentials credentials;
    private final KerberosFiles files;

    KerberosLogin(KerberosCredentials credentials) {
        this.credentials = credentials;
        this.files = new KerberosFiles(credentials);
    }

    /** A fresh login, as smbj's SPNEGO wants it. */
    GSSAuthenticationContext authenticationContext() {
        Subject subject = new Subject();
        try {
            new LoginContext("ferry-smb", subject, null, configuration()).login();
            GSSCredential credential = Subject.callAs(subject, () -> GSSManager.getInstance().createCredential(null,
                    GSSCredential.DEFAULT_LIFETIME, KERBEROS_V5, GSSCredential.INITIATE_ONLY));
            return new GSSAuthenticationContext(credentials.user(), credentials.realm(), subject, credential);
        } catch (LoginException e) {
            throw new LocationException("KERBEROS_LOGIN_FAILED", credentials.principal() + ": " + e.getMessage(), e);
        } catch (java.util.concurrent.CompletionException e) {
            throw new LocationException("KERBEROS_LOGIN_FAILED", credentials.principal() + ": " + e.getCause(), e);
        }
    }

    private Configuration configuration() {
        Map<String, String> options = Map.of("useKeyTab", "true", "keyTab", files.keytab().toString(), "principal",
                credentials.principal(), "storeKey", "true", "doNotPrompt", "true", "refreshKrb5Config", "true",
                "isInitiator", "true", "useTicketCache", "false");
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {new AppConfigurationEntry("com.sun.security.auth.module.Krb5LoginModule",
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
            }
        };
    }

    private static Oid oid(String value) {
        try {
            return new Oid(value);
        } catch (GSSException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        files.close();
    }
}
