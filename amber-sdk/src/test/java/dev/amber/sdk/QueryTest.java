package dev.amber.sdk;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryTest {

    @Test
    void emptyQueryAddsNothing() {
        assertThat(Query.empty().toQueryString()).isEmpty();
    }

    @Test
    void pathIsEncodedSoReservedCharactersStayInTheValue() {
        String query = Query.empty().with("path", "/home/amber/a b&c=d+e#f?.txt").toQueryString();

        assertThat(query).isEqualTo("?path=%2Fhome%2Famber%2Fa%20b%26c%3Dd%2Be%23f%3F.txt");
    }

    @Test
    void nonAsciiIsEncodedAsUtf8() {
        assertThat(Query.empty().with("path", "/tmp/é€").toQueryString()).isEqualTo("?path=%2Ftmp%2F%C3%A9%E2%82%AC");
    }

    @Test
    void parametersKeepTheirOrderAndNullValuesAreLeftOut() {
        String query = Query.empty().with("path", "/x").with("mode", null).with("recursive", true).with("page", 2)
                .toQueryString();

        assertThat(query).isEqualTo("?path=%2Fx&recursive=true&page=2");
    }

    @Test
    void withLeavesTheOriginalUnchanged() {
        Query base = Query.empty().with("a", "1");

        base.with("b", "2");

        assertThat(base.toQueryString()).isEqualTo("?a=1");
    }

    @Test
    void metadataFilterNamesAreEncodedToo() {
        String query = SandboxFilter.all().inState("running").withMetadata("owner team", "a&b").toQuery().toQueryString();

        assertThat(query).isEqualTo("?state=running&metadata.owner%20team=a%26b");
    }

    @Test
    void idsAreEncodedAsOnePathSegment() {
        assertThat(Endpoints.sandbox("sb-1")).isEqualTo("/v1/sandboxes/sb-1");
        assertThat(Endpoints.files("../../admin")).isEqualTo("/v1/sandboxes/..%2F..%2Fadmin/files");
        assertThat(Endpoints.apiKey("k 1")).isEqualTo("/v1/api-keys/k%201");
        assertThatThrownBy(() -> Endpoints.sandbox("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void snapshotPathsEncodeEveryIdAndName() {
        assertThat(Endpoints.restore("sb-1", "snap/1")).isEqualTo("/v1/sandboxes/sb-1/checkpoints/snap%2F1/restore");
        assertThat(Endpoints.snapshot("my base")).isEqualTo("/v1/snapshots/my%20base");
        assertThat(Endpoints.snapshotsOf("sb-1")).isEqualTo("/v1/sandboxes/sb-1/snapshots");
    }

    @Test
    void snapshotFilterLeavesOutWhatItDoesNotConstrain() {
        assertThat(SnapshotFilter.all().toQuery().toQueryString()).isEmpty();
        assertThat(SnapshotFilter.all().ofKind("checkpoint").toQuery().toQueryString()).isEqualTo("?kind=checkpoint");
    }

    @Test
    void filterWithoutConditionsMatchesAll() {
        assertThat(SandboxFilter.all().toQuery().toQueryString()).isEmpty();
        assertThat(SandboxFilter.all().withMetadata("k", "v").toQuery().toQueryString()).isEqualTo("?metadata.k=v");
    }
}
