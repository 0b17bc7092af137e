package dev.amber.api.template;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/templates}: a recipe, built into template {@code name} (a rebuild when the team has
 * one of that name). {@code from}: the template it starts from (default {@code base}). {@code kind}:
 * {@code snapshot} (default: the machine is saved with its processes running once {@code readyCmd}
 * succeeds, within {@code readyTimeoutSec}) or {@code image}. Resources only with an image template
 * as {@code from}; a snapshot template's come from its snapshot. {@code platform}: an admin's
 * template for every team. {@code image}: {@code {"uri": "oci-archive:/path"}} (or
 * {@code docker-archive:/path}), an image archive on the server's host imported as an image
 * template (admins only; no from, steps or readyCmd: build on it with another recipe).
 */
public record CreateTemplateRequest(String name, String from, List<TemplateStep> steps, String readyCmd,
                                    Integer readyTimeoutSec, String kind, Integer vcpus, Integer memoryMb,
                                    Long diskSizeMb, Boolean platform, Map<String, Object> image) {}
