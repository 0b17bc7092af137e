package dev.amber.server.template;

import dev.amber.server.WireName;

/**
 * Where a template stands: {@code building} until its first build ends, then {@code ready}, or
 * {@code failed} when that build did not succeed (a later build's failure keeps it ready).
 */
public enum TemplateState implements WireName {
    BUILDING,
    READY,
    FAILED
}
