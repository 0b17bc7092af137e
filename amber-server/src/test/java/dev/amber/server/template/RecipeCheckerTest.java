package dev.amber.server.template;

import dev.amber.api.error.ApiException;
import dev.amber.api.template.CreateTemplateRequest;
import dev.amber.api.template.TemplateStep;
import dev.amber.server.Ids;
import dev.amber.server.sandbox.SandboxLimits;
import dev.amber.server.template.TemplateRepository.Template;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RecipeCheckerTest {

    private static final Template BASE = new Template(UUID.randomUUID(), Ids.PLATFORM_TEAM, "base", TemplateKind.SNAPSHOT,
            TemplateState.READY, null, 2, 1024, SandboxLimits.DEFAULT_DISK_MB, null, null, null, null, null, true,
            OffsetDateTime.now());

    private final RecipeChecker checker = new RecipeChecker(SandboxLimits.defaults());

    private static CreateTemplateRequest request(List<TemplateStep> steps) {
        return new CreateTemplateRequest("app", null, steps, null, null, null, null, null, null, null, null);
    }

    private String refusal(List<TemplateStep> steps) {
        return assertThrows(ApiException.class, () -> checker.check(request(steps), BASE)).getMessage();
    }

    @Test
    void wireStepsBecomeTypedStepsInOrder() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("B", "2");
        env.put("A", "1");
        Recipe recipe = checker.check(request(List.of(
                TemplateStep.run("make"),
                TemplateStep.copy("/etc/app.conf", "aGk=", 0600),
                TemplateStep.copy("/etc/other", "aGk=", null),
                TemplateStep.env(env),
                TemplateStep.workdir("/srv"),
                TemplateStep.user("app"))), BASE);

        assertEquals(List.of(
                new RecipeStep.Run("make"),
                new RecipeStep.Copy("/etc/app.conf", "aGk=", OptionalInt.of(0600)),
                new RecipeStep.Copy("/etc/other", "aGk=", OptionalInt.empty()),
                new RecipeStep.Env(env),
                new RecipeStep.Workdir("/srv"),
                new RecipeStep.User("app")), recipe.steps());
        assertEquals(List.of("B", "A"), List.copyOf(((RecipeStep.Env) recipe.steps().get(3)).env().keySet()));
        assertEquals(TemplateKind.SNAPSHOT, recipe.kind());
    }

    @Test
    void typedStepsGiveBackTheWireStepsTheyWereMadeFrom() {
        List<TemplateStep> wire = List.of(TemplateStep.run("make"), TemplateStep.copy("/a", "aGk=", null),
                TemplateStep.copy("/b", "aGk=", 0755), TemplateStep.env(Map.of("A", "1")), TemplateStep.workdir("/srv"),
                TemplateStep.user("app"));

        assertEquals(wire, checker.check(request(wire), BASE).steps().stream().map(RecipeStep::toWire).toList());
    }

    @Test
    void onlyRunAndCopyChangeTheMachine() {
        Recipe recipe = checker.check(request(List.of(TemplateStep.run("make"), TemplateStep.copy("/a", "aGk=", null),
                TemplateStep.env(Map.of("A", "1")), TemplateStep.workdir("/srv"), TemplateStep.user("app"))), BASE);

        assertEquals(List.of(true, true, false, false, false),
                recipe.steps().stream().map(RecipeStep::changesMachine).toList());
    }

    @Test
    void aStepWithoutTypeIsRefusedNamingIt() {
        assertEquals("steps[1]: type is required (run, copy, env, workdir or user)",
                refusal(List.of(TemplateStep.run("make"), new TemplateStep(null, "x", null, null, null, null, null))));
    }

    @Test
    void anUnknownTypeIsRefusedListingTheKnownOnes() {
        assertEquals("steps[0]: unknown type \"shell\"; one of run, copy, env, workdir, user",
                refusal(List.of(new TemplateStep("shell", "x", null, null, null, null, null))));
    }

    @Test
    void eachKindOfStepNamesItsMissingField() {
        assertEquals("steps[0]: a run step needs cmd, a shell command", refusal(List.of(TemplateStep.run(" "))));
        assertEquals("steps[0]: path must be absolute", refusal(List.of(TemplateStep.copy("rel", "aGk=", null))));
        assertEquals("steps[0]: a copy step needs content, base64", refusal(List.of(TemplateStep.copy("/a", null, null))));
        assertEquals("steps[0]: mode must be between 0 and 07777 (4095)",
                refusal(List.of(TemplateStep.copy("/a", "aGk=", 010000))));
        assertEquals("steps[0]: an env step needs env, a map of names to values",
                refusal(List.of(TemplateStep.env(Map.of()))));
        assertEquals("steps[0]: path must be absolute", refusal(List.of(TemplateStep.workdir("srv"))));
        assertEquals("steps[0]: a user step needs user, an account name", refusal(List.of(TemplateStep.user("Root!"))));
    }

    @Test
    void copyContentThatIsNotBase64IsRefused() {
        String message = refusal(List.of(TemplateStep.copy("/a", "not base64!", null)));

        assertEquals(true, message.startsWith("steps[0]: content is not base64: "), message);
    }

    @Test
    void anEnvNameThatIsNotAnIdentifierIsRefusedNamingIt() {
        assertEquals("steps[0]: env names are letters, digits and '_' (not first a digit), values non-null without NUL; "
                + "got \"1X\"", refusal(List.of(TemplateStep.env(Map.of("1X", "v")))));
    }

    @Test
    void kindIsReadFromItsWireName() {
        CreateTemplateRequest image = new CreateTemplateRequest("app", null, List.of(), null, null, "image", null, null,
                null, null, null);
        CreateTemplateRequest other = new CreateTemplateRequest("app", null, List.of(), null, null, "vm", null, null,
                null, null, null);

        assertEquals(TemplateKind.IMAGE, checker.check(image, BASE).kind());
        assertEquals("kind must be \"snapshot\" or \"image\", got \"vm\"",
                assertThrows(ApiException.class, () -> checker.check(other, BASE)).getMessage());
    }
}
