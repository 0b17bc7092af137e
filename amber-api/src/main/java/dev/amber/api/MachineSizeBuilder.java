package dev.amber.api;

/**
 * The machine size a request builder may set, shared by the requests that start a machine (a
 * sandbox, a template's build); a part never set (or set to null) is left out and the source's
 * size applies.
 *
 * @param <B> the request's builder, returned by each setter so that calls chain
 */
public abstract class MachineSizeBuilder<B extends MachineSizeBuilder<B>> {

    protected Integer vcpus;
    protected Integer memoryMb;
    protected Long diskSizeMb;

    protected MachineSizeBuilder() {}

    public B vcpus(Integer value) {
        vcpus = value;
        return self();
    }

    public B memoryMb(Integer value) {
        memoryMb = value;
        return self();
    }

    public B diskSizeMb(Long value) {
        diskSizeMb = value;
        return self();
    }

    @SuppressWarnings("unchecked") // B is the subclass itself, as its declaration says
    private B self() {
        return (B) this;
    }
}
