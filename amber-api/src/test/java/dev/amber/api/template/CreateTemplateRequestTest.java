package dev.amber.api.template;

import dev.amber.api.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.amber.api.template.TemplateStep.run;
import static dev.amber.api.template.TemplateStep.workdir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CreateTemplateRequestTest {

    @Test
    void builtRecipeSerialisesAsTheConstructorCall() {
        CreateTemplateRequest built = CreateTemplateRequest.builder("web").from("python").step(workdir("/app"))
                .steps(List.of(run("pip install flask"), run("true"))).readyCmd("curl -sf localhost:8000")
                .readyTimeoutSec(60).kind(CreateTemplateRequest.Kind.IMAGE).vcpus(2).memoryMb(1024).diskSizeMb(8192L)
                .platform(true).build();

        CreateTemplateRequest constructed = new CreateTemplateRequest("web", "python",
                List.of(workdir("/app"), run("pip install flask"), run("true")), "curl -sf localhost:8000", 60, "image", 2,
                1024, 8192L, true, null);

        assertThat(built).isEqualTo(constructed);
        assertThat(Json.of(built)).isEqualTo(Json.of(constructed));
    }

    @Test
    void recipeWithoutStepsSendsNoSteps() {
        assertThat(Json.of(CreateTemplateRequest.builder("t").build())).isEqualTo(Json.of(new CreateTemplateRequest("t",
                null, null, null, null, null, null, null, null, null, null)));
    }

    @Test
    void imageImportSendsTheUri() {
        CreateTemplateRequest built = CreateTemplateRequest.builder("imported").fromImage("oci-archive:/srv/app.tar").build();

        assertThat(built.image()).isEqualTo(Map.of("uri", "oci-archive:/srv/app.tar"));
    }

    @Test
    void fromAndFromImageTogetherAreRefusedAtBuild() {
        CreateTemplateRequest.Builder builder = CreateTemplateRequest.builder("t").fromImage("oci-archive:/a.tar")
                .from("python");

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fromImage and from");
    }

    @Test
    void kindsAreSentInLowerCase() {
        assertThat(CreateTemplateRequest.builder("t").kind(CreateTemplateRequest.Kind.SNAPSHOT).build().kind())
                .isEqualTo("snapshot");
    }
}
