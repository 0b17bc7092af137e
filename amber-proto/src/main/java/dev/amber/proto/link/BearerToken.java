package dev.amber.proto.link;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import static java.util.Objects.requireNonNull;

/** The shared secret one end of the link presents to the other as {@code authorization: Bearer <token>}. */
final class BearerToken {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String SCHEME = "Bearer ";

    private final String header;

    BearerToken(String token) {
        requireNonNull(token, "token");
        if (token.isEmpty() || !token.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw new IllegalArgumentException("a token must be non-empty printable ASCII without spaces");
        }
        this.header = SCHEME + token;
    }

    /** For a client: sends the token with every call. */
    ClientInterceptor attach() {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, header);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    /** For a server: refuses every call that does not carry this token with UNAUTHENTICATED. */
    ServerInterceptor require() {
        byte[] expected = sha256(header);
        return new ServerInterceptor() {
            @Override
            public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                    ServerCallHandler<ReqT, RespT> next) {
                String presented = headers.get(AUTHORIZATION);
                // Digests have one length whatever was sent, so the comparison takes the same time
                // for every wrong token and reveals neither content nor length.
                if (presented == null || !MessageDigest.isEqual(expected, sha256(presented))) {
                    call.close(Status.UNAUTHENTICATED.withDescription(presented == null
                            ? "no bearer token: send \"authorization: Bearer <token>\""
                            : "wrong token: this service was started with a different one"), new Metadata());
                    return new ServerCall.Listener<>() { };
                }
                return next.startCall(call, headers);
            }
        };
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
