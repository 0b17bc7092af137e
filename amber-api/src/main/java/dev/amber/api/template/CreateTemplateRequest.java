package dev.amber.api.template;

import java.util.List;

/**
 * {@code POST /v1/templates}: a recipe, built into template {@code name} (a rebuild when the team has
 * one of that name). {@code from}: the template it starts from (default {@code base}). {@code kind}:
 * {@code snapshot} (default: the machine is saved with its processes running once {@code readyCmd}
 * succeeds, within {@code readyTimeoutSec}) or {@code image}. Resources only with an image template
 * as {@code from}; a snapshot template's come from its snapshot. {@code platform}: an admin's
 * template for every team.
 */
public record CreateTemplateRequest(String name, String from, List<TemplateStep> steps, String readyCmd,
                                    Integer readyTimeoutSec, String kind, Integer vcpus, Integer memoryMb,
                                    Long diskSizeMb, Boolean platform) {}
