package dev.amber.server.sandbox;

/** The vCPUs and memory of the sandboxes recorded on one host that have a VM (paused ones hold none). */
public record PlacedLoad(int vcpus, long memoryMb) {

    public static final PlacedLoad NONE = new PlacedLoad(0, 0);

    public PlacedLoad plus(Resources size) {
        return new PlacedLoad(vcpus + size.vcpus(), memoryMb + size.memoryMb());
    }

    public PlacedLoad minus(Resources size) {
        return new PlacedLoad(vcpus - size.vcpus(), memoryMb - size.memoryMb());
    }
}
