package dev.amber.server.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.SQLException;

import static java.util.Objects.requireNonNull;

/** Values kept as JSON in PostgreSQL columns (jsonb), written and read with the server's mapper. */
public final class JsonColumns {

    private final ObjectMapper json;

    public JsonColumns(ObjectMapper json) {
        this.json = requireNonNull(json, "json");
    }

    /** The JSON text of {@code value}, to bind as {@code cast(:x as jsonb)}. */
    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + value, e);
        }
    }

    /** A column's JSON text as {@code type}; a row that does not match is a database error. */
    public <T> T read(String value, TypeReference<T> type) throws SQLException {
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new SQLException("stored JSON does not match " + type.getType(), e);
        }
    }
}
