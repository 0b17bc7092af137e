package dev.amber.server.cluster;

import dev.amber.proto.link.LinkCredentials;
import dev.amber.proto.link.PeerCheck;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterAuthorityTest {

    private static final String HOST = "host-1b4e28ba-2fa1-11d2-883f-0016d3cca427";

    @TempDir
    Path directory;

    @Test
    void theCaIsMadeOnceWithAKeyOnlyItsOwnerReads() throws Exception {
        ClusterAuthority made = ClusterAuthority.loadOrCreate(directory.resolve("cluster-ca"));
        assertThat(Files.getPosixFilePermissions(directory.resolve("cluster-ca/ca.key")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        ClusterAuthority loaded = ClusterAuthority.loadOrCreate(directory.resolve("cluster-ca"));
        assertThat(loaded.fingerprint()).isEqualTo(made.fingerprint()).matches("[0-9a-f]{64}");
        assertThat(loaded.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aHostCertificateNamesTheHostWhateverTheRequestAsks() throws Exception {
        ClusterAuthority authority = ClusterAuthority.loadOrCreate(directory);
        KeyPair keys = LinkCredentials.newKeyPair();
        byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=amber-server"), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();

        X509Certificate certificate = authority.issueHost(HOST, authority.requestedKey(csr));
        assertThat(PeerCheck.commonName(certificate)).isEqualTo(HOST);
        assertThat(certificate.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(certificate.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        certificate.verify(authority.certificate().getPublicKey());
    }

    @Test
    void aRequestThatIsNotOneOrNotSignedByItsKeyIsRefused() throws Exception {
        ClusterAuthority authority = ClusterAuthority.loadOrCreate(directory);
        assertThatThrownBy(() -> authority.requestedKey(new byte[] {1, 2, 3})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a PKCS#10 certificate request");
        KeyPair claimed = LinkCredentials.newKeyPair();
        KeyPair signer = LinkCredentials.newKeyPair();
        byte[] forged = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"), claimed.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())).getEncoded();
        assertThatThrownBy(() -> authority.requestedKey(forged)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("signature does not match");
    }

    @Test
    void theServersCredentialsChainToTheCa() throws Exception {
        ClusterAuthority authority = ClusterAuthority.loadOrCreate(directory);
        LinkCredentials server = authority.serverCredentials();
        assertThat(server.name()).isEqualTo(PeerCheck.SERVER);
        assertThat(server.chain()).hasSize(2).last().isEqualTo(authority.certificate());
        assertThat(List.of(server.ca())).containsExactly(authority.certificate());
    }
}
