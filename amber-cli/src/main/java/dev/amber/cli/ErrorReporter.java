package dev.amber.cli;

import dev.amber.sdk.error.AmberException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Every failure as one {@code amber: <message>} line on stderr. Usage errors exit 2 and point at the
 * help; failures while running (the API, the network, local files) exit 1.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("amber: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help'.");
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        if (expected(e)) {
            err.println("amber: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } else {
            // A bug rather than a user's problem: the trace is what a bug report needs.
            err.println("amber: unexpected " + e);
            e.printStackTrace(err);
        }
        return command.getCommandSpec().exitCodeOnExecutionException();
    }

    private static boolean expected(Exception e) {
        return e instanceof AmberException || e instanceof UncheckedIOException || e instanceof IOException
                || e instanceof IllegalArgumentException;
    }
}
