package dev.amber.proto.link;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * The name (certificate CN) of the peer that made the current call, as the TLS handshake verified
 * it against the link's {@link PeerCheck}. Services read it with {@link #current()}.
 */
public final class PeerIdentity {

    private static final Context.Key<String> NAME = Context.key("amber-peer");

    private PeerIdentity() {}

    /** The verified peer of the call running on this thread; empty when it presented no certificate. */
    public static Optional<String> current() {
        return Optional.ofNullable(NAME.get());
    }

    /** Puts the verified peer's name into each call's context. */
    static ServerInterceptor capture() {
        return new ServerInterceptor() {
            @Override
            public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                    ServerCallHandler<ReqT, RespT> next) {
                String name = name(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
                return name == null ? next.startCall(call, headers)
                        : Contexts.interceptCall(Context.current().withValue(NAME, name), call, headers, next);
            }
        };
    }

    /** Refuses, with UNAUTHENTICATED, every call whose peer presented no certificate. */
    static ServerInterceptor required() {
        return new ServerInterceptor() {
            @Override
            public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                    ServerCallHandler<ReqT, RespT> next) {
                if (name(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)) == null) {
                    call.close(Status.UNAUTHENTICATED.withDescription(
                            "this call needs a host certificate of this cluster (join the host first)"), new Metadata());
                    return new ServerCall.Listener<>() { };
                }
                return next.startCall(call, headers);
            }
        };
    }

    private static String name(SSLSession session) {
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length == 0 ? null : PeerCheck.commonName((X509Certificate) chain[0]);
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }
}
