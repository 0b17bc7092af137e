package dev.amber.server.template;

import dev.amber.server.WireName;

/** What a template's sandboxes start from: its final layer restored (snapshot), or its disk booted (image). */
public enum TemplateKind implements WireName {
    SNAPSHOT,
    IMAGE
}
