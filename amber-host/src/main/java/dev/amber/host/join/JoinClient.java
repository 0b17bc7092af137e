package dev.amber.host.join;

import dev.amber.proto.host.v1.HostJoinGrpc;
import dev.amber.proto.host.v1.JoinRequest;
import dev.amber.proto.host.v1.JoinResponse;
import dev.amber.proto.link.JoinToken;
import dev.amber.proto.link.LinkChannel;
import dev.amber.proto.link.LinkCredentials;
import dev.amber.proto.link.PeerCheck;
import dev.amber.proto.link.PeerRefusedException;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * How a new host joins a cluster with a join token: it makes its key pair and a certificate request,
 * dials the control plane trusting only a server whose CA has the token's fingerprint (so the secret
 * goes to no one else), trades the token for its certificate and keeps its identity in a directory.
 */
public final class JoinClient {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private JoinClient() {}

    /**
     * Joins the cluster whose link port is at {@code servers} (host:port each: the server replicas,
     * tried in order until one answers) as host {@code name}, whose agent will listen at
     * {@code advertisedAddress} (host:port); saves the identity into {@code identityDir}, which must
     * not exist yet.
     *
     * @throws RefusedException the token is malformed, used, expired or for another cluster, or a
     *         server refused the request: the message says which; retrying will not help
     * @throws IOException no server could be reached (the message has each one's error), or the
     *         identity could not be saved
     */
    public static HostIdentity join(List<String> servers, String token, String name, String advertisedAddress,
                                    Path identityDir) throws IOException {
        requireNonNull(name, "name");
        requireNonNull(advertisedAddress, "advertisedAddress");
        requireNonNull(identityDir, "identityDir");
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("a host joins through at least one server");
        }
        if (HostIdentity.exists(identityDir)) {
            throw new RefusedException("this host has joined a cluster already (" + identityDir + " exists); delete that"
                    + " directory to join again", null);
        }
        JoinToken parsed;
        try {
            parsed = JoinToken.parse(requireNonNull(token, "token"));
        } catch (IllegalArgumentException e) {
            throw new RefusedException(e.getMessage(), e);
        }
        KeyPair keys = LinkCredentials.newKeyPair();
        JoinRequest request = JoinRequest.newBuilder().setToken(parsed.text()).setCsr(ByteString.copyFrom(csr(keys)))
                .setName(name).setAddress(advertisedAddress).build();
        List<IOException> unreachable = new ArrayList<>();
        for (String server : servers) {
            JoinResponse response;
            try {
                response = exchange(server, parsed, request);
            } catch (RefusedException e) {
                throw e;
            } catch (IOException e) {
                unreachable.add(e); // the next replica may answer
                continue;
            }
            return save(server, response, parsed, keys, identityDir);
        }
        if (unreachable.size() == 1) {
            throw unreachable.getFirst();
        }
        IOException none = new IOException("could not join through any server: " + unreachable.stream()
                .map(Throwable::getMessage).collect(Collectors.joining("; ")));
        unreachable.forEach(none::addSuppressed);
        throw none;
    }

    /** Trades the token for this host's certificate at {@code server}; throws as {@link #failure} says. */
    private static JoinResponse exchange(String server, JoinToken token, JoinRequest request) throws IOException {
        try (LinkChannel channel = LinkChannel.openAnonymous(server, PeerCheck.pinned(token.caFingerprint(), PeerCheck.SERVER))) {
            return HostJoinGrpc.newBlockingV2Stub(channel.channel()).withDeadlineAfter(DEADLINE).join(request);
        } catch (StatusException e) {
            throw failure(server, e);
        }
    }

    private static HostIdentity save(String server, JoinResponse response, JoinToken token, KeyPair keys,
                                     Path identityDir) throws IOException {
        X509Certificate certificate = certificate(response.getCertificate());
        X509Certificate ca = certificate(response.getCa());
        if (!PeerCheck.fingerprint(ca).equals(token.caFingerprint()) || !certificate.getPublicKey().equals(keys.getPublic())
                || !PeerCheck.commonName(certificate).equals(response.getHostId())) {
            throw new IOException("the server at " + server + " answered with a certificate that is not this host's"
                    + " or a CA that is not the token's; nothing was saved");
        }
        return HostIdentity.save(identityDir, keys.getPrivate(), certificate, ca);
    }

    private static IOException failure(String serverAddress, StatusException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof PeerRefusedException refused) {
                return new RefusedException("the server at " + serverAddress + " is not the cluster this token is for, so"
                        + " the token was not sent: " + refused.getMessage(), e);
            }
        }
        Status status = e.getStatus();
        String said = status.getDescription() == null ? status.getCode().toString() : status.getDescription();
        return switch (status.getCode()) {
            case PERMISSION_DENIED, INVALID_ARGUMENT, ALREADY_EXISTS, UNAUTHENTICATED ->
                    new RefusedException("the server at " + serverAddress + " refused to let this host join: " + said, e);
            default -> new IOException("could not join through " + serverAddress + ": " + status.getCode() + " " + said, e);
        };
    }

    private static byte[] csr(KeyPair keys) {
        try {
            return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=amber-host"), keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                    .getEncoded();
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make a certificate request: " + e.getMessage(), e);
        }
    }

    private static X509Certificate certificate(ByteString der) throws IOException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der.toByteArray()));
        } catch (GeneralSecurityException e) {
            throw new IOException("the server answered with a certificate that cannot be read: " + e.getMessage(), e);
        }
    }

    /** The join was refused (token, cluster or request): retrying will not help. */
    public static final class RefusedException extends IOException {
        public RefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
