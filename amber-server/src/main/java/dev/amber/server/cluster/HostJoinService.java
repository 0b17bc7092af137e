package dev.amber.server.cluster;

import com.google.protobuf.ByteString;
import dev.amber.proto.host.v1.HostJoinGrpc;
import dev.amber.proto.host.v1.JoinRequest;
import dev.amber.proto.host.v1.JoinResponse;
import dev.amber.proto.link.JoinToken;
import dev.amber.server.Ids;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.UUID;

import static dev.amber.server.host.HostRequestChecks.requireAddress;
import static dev.amber.server.host.HostRequestChecks.requireName;
import static java.util.Objects.requireNonNull;

/**
 * A new host trading its join token for an identity: the token is consumed, the host recorded (in
 * the token's team) and its certificate issued. Everything is checked before the token is spent, so
 * a bad request leaves it usable.
 */
public final class HostJoinService extends HostJoinGrpc.HostJoinImplBase {

    private static final System.Logger LOG = System.getLogger("amber.hosts");

    private final JoinTokens tokens;
    private final ClusterAuthority authority;

    public HostJoinService(JoinTokens tokens, ClusterAuthority authority) {
        this.tokens = requireNonNull(tokens, "tokens");
        this.authority = requireNonNull(authority, "authority");
    }

    @Override
    public void join(JoinRequest request, StreamObserver<JoinResponse> response) {
        JoinToken token;
        PublicKey key;
        try {
            token = JoinToken.parse(request.getToken());
            requireName(request.getName());
            requireAddress(request.getAddress());
            key = authority.requestedKey(request.getCsr().toByteArray());
        } catch (IllegalArgumentException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
            return;
        }
        if (!token.caFingerprint().equals(authority.fingerprint())) {
            response.onError(Status.PERMISSION_DENIED.withDescription(
                    "this join token was made by another cluster (its CA fingerprint is not this server's)").asException());
            return;
        }
        UUID hostId;
        try {
            hostId = tokens.redeem(token.secret(), request.getName(), request.getAddress());
        } catch (JoinTokens.RefusedException e) {
            response.onError((e.refusal() == JoinTokens.Refusal.NAME_TAKEN ? Status.ALREADY_EXISTS : Status.PERMISSION_DENIED)
                    .withDescription(e.getMessage()).asException());
            return;
        }
        String id = Ids.HOST.format(hostId);
        X509Certificate certificate = authority.issueHost(id, key);
        LOG.log(System.Logger.Level.INFO, "host {0} ({1}) joined the cluster from {2}", request.getName(), id,
                request.getAddress());
        try {
            response.onNext(JoinResponse.newBuilder().setHostId(id)
                    .setCertificate(ByteString.copyFrom(certificate.getEncoded()))
                    .setCa(ByteString.copyFrom(authority.certificate().getEncoded()))
                    .build());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a certificate this CA made cannot be encoded", e);
        }
        response.onCompleted();
    }
}
