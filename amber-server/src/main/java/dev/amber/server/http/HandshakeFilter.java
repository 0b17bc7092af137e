package dev.amber.server.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/**
 * Javalin routes WebSocket handshakes by path alone, and a handshake for a sandbox's server may
 * have any path (under a port's host name) or one under /v1 that is an HTTP route. This filter
 * gives such handshakes the one internal path {@link FrontDoor#WEBSOCKETS}, keeping the path the
 * client asked for in the request attribute {@link #ORIGINAL_URI}.
 */
public final class HandshakeFilter implements Filter {

    public static final String ORIGINAL_URI = "amber.original-uri";

    private final FrontDoor frontDoor;

    HandshakeFilter(FrontDoor frontDoor) {
        this.frontDoor = requireNonNull(frontDoor, "frontDoor");
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && http.getHeader("Sec-WebSocket-Version") != null
                && frontDoor.takesHandshake(http)) {
            http.setAttribute(ORIGINAL_URI, http.getRequestURI());
            chain.doFilter(new HttpServletRequestWrapper(http) {
                @Override
                public String getRequestURI() {
                    return http.getContextPath() + FrontDoor.WEBSOCKETS;
                }
            }, response);
        } else {
            chain.doFilter(request, response);
        }
    }
}
