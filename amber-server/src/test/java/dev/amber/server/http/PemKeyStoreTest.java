package dev.amber.server.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PEM files as openssl writes them, good and bad, read into a key store or refused with what to do. */
class PemKeyStoreTest {

    @TempDir
    Path directory;

    @Test
    void anEcCertificateAndItsPkcs8KeyBecomeOneKeyEntry() throws Exception {
        SelfSignedCertificate made = SelfSignedCertificate.create(directory);
        KeyStore store = PemKeyStore.load(made.transport(), "secret".toCharArray());
        assertThat(store.getKey(PemKeyStore.ALIAS, "secret".toCharArray())).isNotNull();
        assertThat(((X509Certificate) store.getCertificate(PemKeyStore.ALIAS)).getSubjectX500Principal().getName())
                .isEqualTo("CN=localhost");
    }

    @Test
    void anRsaCertificateSignedByAnIntermediateKeepsItsChain() throws Exception {
        SelfSignedCertificate intermediate = SelfSignedCertificate.create(Files.createDirectory(directory.resolve("ca")));
        Path key = directory.resolve("rsa.pem");
        Path request = directory.resolve("rsa.csr");
        Path certificate = directory.resolve("rsa-cert.pem");
        SelfSignedCertificate.openssl(List.of("req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=rsa.example",
                "-keyout", key.toString(), "-out", request.toString()));
        SelfSignedCertificate.openssl(List.of("x509", "-req", "-in", request.toString(), "-CA",
                intermediate.certificate().toString(), "-CAkey", intermediate.key().toString(), "-CAcreateserial",
                "-days", "2", "-out", certificate.toString()));
        Files.writeString(certificate, Files.readString(certificate) + Files.readString(intermediate.certificate()));
        KeyStore store = PemKeyStore.load(new Transport.Tls(certificate, key), "secret".toCharArray());
        assertThat(store.getCertificateChain(PemKeyStore.ALIAS)).hasSize(2);
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused() throws Exception {
        SelfSignedCertificate one = SelfSignedCertificate.create(Files.createDirectory(directory.resolve("one")));
        SelfSignedCertificate two = SelfSignedCertificate.create(Files.createDirectory(directory.resolve("two")));
        assertThatThrownBy(() -> PemKeyStore.load(new Transport.Tls(one.certificate(), two.key()), "s".toCharArray()))
                .isInstanceOf(IOException.class).hasMessageContaining("is not the key of the first certificate");
    }

    @Test
    void aTraditionalRsaKeyIsRefusedWithTheCommandThatConvertsIt() throws Exception {
        Path key = directory.resolve("traditional.pem");
        SelfSignedCertificate.openssl(List.of("genrsa", "-traditional", "-out", key.toString(), "2048"));
        SelfSignedCertificate made = SelfSignedCertificate.create(directory);
        assertThatThrownBy(() -> PemKeyStore.load(new Transport.Tls(made.certificate(), key), "s".toCharArray()))
                .isInstanceOf(IOException.class).hasMessageContaining("PKCS#8").hasMessageContaining("openssl pkcs8 -topk8");
    }

    @Test
    void missingAndEmptyFilesAreNamed() throws Exception {
        SelfSignedCertificate made = SelfSignedCertificate.create(directory);
        Path empty = Files.writeString(directory.resolve("empty.pem"), "");
        assertThatThrownBy(() -> PemKeyStore.load(new Transport.Tls(directory.resolve("nope.pem"), made.key()), "s".toCharArray()))
                .hasMessageContaining("nope.pem does not exist");
        assertThatThrownBy(() -> PemKeyStore.load(new Transport.Tls(empty, made.key()), "s".toCharArray()))
                .hasMessageContaining("holds no PEM certificate");
    }
}
