package org.sehathub.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate authority and certificates for the MLLP-over-TLS tests, made with the JDK's own
 * {@code keytool} (no test library for certificates needed): the server's, a registered sender's,
 * an unregistered one's (same authority), and one with the registered subject from another
 * authority. All PKCS12, password {@link #PASSWORD}.
 */
final class TestCertificates {

    static final String PASSWORD = "changeit";

    final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    static TestCertificates make(Path dir, String registeredSubject) throws IOException, InterruptedException {
        TestCertificates certs = new TestCertificates(dir);
        certs.authority("ca", "CN=Sehat Test CA,O=Sehat Hub Tests,C=PK");
        certs.authority("rogue-ca", "CN=Rogue CA,O=Elsewhere,C=PK");
        certs.leaf("server", "CN=localhost,O=Sehat Hub,C=PK", "ca", "serverAuth", "san=ip:127.0.0.1,dns:localhost");
        certs.leaf("registered", registeredSubject, "ca", "clientAuth", null);
        certs.leaf("unregistered", "CN=unknown-his,O=Unknown Hospital,C=PK", "ca", "clientAuth", null);
        certs.leaf("rogue", registeredSubject, "rogue-ca", "clientAuth", null);
        certs.keytool(
                "-importcert",
                "-alias",
                "ca",
                "-file",
                certs.file("ca.pem"),
                "-keystore",
                certs.file("trust.p12"),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-noprompt");
        return certs;
    }

    Path keyStore(String name) {
        return dir.resolve(name + ".p12");
    }

    Path trustStore() {
        return dir.resolve("trust.p12");
    }

    /** A client TLS context presenting {@code name}'s certificate (or none) and trusting the test CA. */
    SSLContext clientContext(String name) throws IOException, GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(trustStore()));
        SSLContext context = SSLContext.getInstance("TLS");
        if (name == null) {
            context.init(null, trust.getTrustManagers(), null);
            return context;
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keyStore(name)), PASSWORD.toCharArray());
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private void authority(String name, String subject) throws IOException, InterruptedException {
        keytool(
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                subject,
                "-ext",
                "bc:c",
                "-validity",
                "2",
                "-keystore",
                file(name + ".p12"),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD);
        keytool(
                "-exportcert",
                "-alias",
                name,
                "-keystore",
                file(name + ".p12"),
                "-storepass",
                PASSWORD,
                "-rfc",
                "-file",
                file(name + ".pem"));
    }

    private void leaf(String name, String subject, String issuer, String usage, String san)
            throws IOException, InterruptedException {
        String store = file(name + ".p12");
        keytool(
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                subject,
                "-validity",
                "2",
                "-keystore",
                store,
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD);
        keytool("-certreq", "-alias", name, "-keystore", store, "-storepass", PASSWORD, "-file", file(name + ".csr"));
        List<String> sign = new ArrayList<>(List.of(
                "-gencert",
                "-alias",
                issuer,
                "-keystore",
                file(issuer + ".p12"),
                "-storepass",
                PASSWORD,
                "-infile",
                file(name + ".csr"),
                "-outfile",
                file(name + ".pem"),
                "-rfc",
                "-validity",
                "2",
                "-ext",
                "eku=" + usage));
        if (san != null) {
            sign.addAll(List.of("-ext", san));
        }
        keytool(sign.toArray(String[]::new));
        keytool(
                "-importcert",
                "-alias",
                issuer,
                "-file",
                file(issuer + ".pem"),
                "-keystore",
                store,
                "-storepass",
                PASSWORD,
                "-noprompt");
        keytool(
                "-importcert",
                "-alias",
                name,
                "-file",
                file(name + ".pem"),
                "-keystore",
                store,
                "-storepass",
                PASSWORD);
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
