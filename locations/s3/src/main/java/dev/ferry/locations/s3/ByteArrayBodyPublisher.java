package dev.ferry.locations.s3;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body of bytes already in memory, sent as read-only views of the array. The JDK's own
 * {@code BodyPublishers.ofByteArray} copies the array into new 16 KiB buffers on every
 * subscription: for a 16 MiB multipart part that is 1,024 allocations and a second copy of the
 * part, which measured a fifth of the control plane's CPU on a large-file upload. The views cost
 * neither. Each subscription starts from the first byte, so a retried request sends it all again.
 *
 * <p>The array must not change while a request that uses it is on its way.
 */
final class ByteArrayBodyPublisher implements HttpRequest.BodyPublisher {
    /** Bytes per buffer handed to the client: large enough to keep the calls few. */
    static final int SLICE = 256 * 1024;

    private final byte[] bytes;
    private final int length;

    /** The first {@code length} bytes of {@code bytes}. */
    ByteArrayBodyPublisher(byte[] bytes, int length) {
        if (length < 0 || length > bytes.length) {
            throw new IllegalArgumentException("length " + length + " outside an array of " + bytes.length);
        }
        this.bytes = bytes;
        this.length = length;
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        subscriber.onSubscribe(new Slices(subscriber));
    }

    /**
     * Hands out slices as the subscriber asks for them. {@link #request} may be called again from
     * inside {@code onNext}, or from another thread at the same time; only one caller at a time
     * drains, the others leave their demand for it (the usual work-in-progress counter).
     */
    private final class Slices implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger draining = new AtomicInteger();
        private volatile boolean cancelled;
        /** Touched only by the thread that drains. */
        private int position;
        private boolean done;

        Slices(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancelled = true;
                subscriber.onError(new IllegalArgumentException("request(" + n + "): demand must be positive"));
                return;
            }
            demand.getAndAccumulate(n, (current, more) -> current + more < 0 ? Long.MAX_VALUE : current + more);
            drain();
        }

        private void drain() {
            if (draining.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                while (!cancelled && !done && position < length && demand.get() > 0) {
                    int size = Math.min(SLICE, length - position);
                    ByteBuffer slice = ByteBuffer.wrap(bytes, position, size).slice().asReadOnlyBuffer();
                    position += size;
                    demand.decrementAndGet();
                    subscriber.onNext(slice);
                }
                if (!cancelled && !done && position == length) {
                    done = true;
                    subscriber.onComplete();
                }
                missed = draining.addAndGet(-missed);
            } while (missed != 0);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}
