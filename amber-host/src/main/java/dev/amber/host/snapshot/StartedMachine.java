package dev.amber.host.snapshot;

import dev.amber.host.agent.AgentChannel;
import dev.amber.host.agent.AgentClient;
import dev.amber.host.vm.MemoryBacking;
import dev.amber.host.vm.QemuProcess;
import dev.amber.host.vm.QmpClient;

import java.time.Duration;

/** A machine that runs and whose agent answers, booted or restored: what a sandbox holds while it runs. */
public record StartedMachine(QemuProcess qemu, QmpClient qmp, AgentChannel channel, AgentClient agent, Duration took,
                             MemoryBacking memory) {}
