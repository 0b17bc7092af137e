package dev.amber.server.template;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.amber.server.db.JsonColumns;
import dev.amber.server.http.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Recipes are stored as JSON in builds and templates; rows written before typed steps must still read. */
class RecipeJsonTest {

    /** A recipe as the builds' column held it before steps were typed. */
    private static final String STORED = """
            {"from":"base","steps":[{"type":"run","cmd":"apt-get install -y curl","path":null,"content":null,"mode":null,\
            "env":null,"user":null},{"type":"copy","cmd":null,"path":"/etc/motd","content":"aGVsbG8K","mode":384,\
            "env":null,"user":null},{"type":"copy","cmd":null,"path":"/srv/app.txt","content":"d29ybGQ=","mode":null,\
            "env":null,"user":null},{"type":"env","cmd":null,"path":null,"content":null,"mode":null,\
            "env":{"PORT":"8080"},"user":null},{"type":"env","cmd":null,"path":null,"content":null,"mode":null,\
            "env":{"ZED":"last-first","ALPHA":"1"},"user":null},{"type":"workdir","cmd":null,"path":"/srv",\
            "content":null,"mode":null,"env":null,"user":null},{"type":"user","cmd":null,"path":null,"content":null,\
            "mode":null,"env":null,"user":"nobody"},{"type":"run","cmd":"python3 -m http.server $PORT &","path":null,\
            "content":null,"mode":null,"env":null,"user":null}],"readyCmd":"curl -sf localhost:8080",\
            "readyTimeoutSec":120,"kind":"snapshot","vcpus":2,"memoryMb":1024,"diskSizeMb":4096,"imageUri":null}""";

    private final JsonColumns columns = new JsonColumns(Json.mapper());

    @Test
    void aRecipeIsWrittenAsTheWireStepsWereBefore() {
        assertEquals(STORED, columns.write(LayerKeysTest.knownRecipe()));
    }

    @Test
    void aStoredRecipeReadsBackAsTypedSteps() throws Exception {
        assertEquals(LayerKeysTest.knownRecipe(), columns.read(STORED, new TypeReference<Recipe>() {}));
    }
}
