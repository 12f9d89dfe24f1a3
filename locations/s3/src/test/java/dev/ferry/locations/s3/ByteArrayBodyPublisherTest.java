package dev.ferry.locations.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class ByteArrayBodyPublisherTest {

    /** Asks for one buffer at a time from inside onNext, as the JDK's client does, and keeps what arrives. */
    private static class Collector implements Flow.Subscriber<ByteBuffer> {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final List<ByteBuffer> buffers = new ArrayList<>();
        Flow.Subscription subscription;
        int completions;
        Throwable error;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(ByteBuffer item) {
            buffers.add(item);
            byte[] bytes = new byte[item.remaining()];
            item.get(bytes);
            received.writeBytes(bytes);
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onComplete() {
            completions++;
        }
    }

    @Test
    void sendsTheFirstLengthBytesInReadOnlySlicesAndAgainOnEverySubscription() {
        byte[] bytes = new byte[ByteArrayBodyPublisher.SLICE * 3 + 17];
        new Random(1).nextBytes(bytes);
        int length = bytes.length - 5;
        ByteArrayBodyPublisher publisher = new ByteArrayBodyPublisher(bytes, length);
        assertThat(publisher.contentLength()).isEqualTo(length);
        for (int attempt = 0; attempt < 2; attempt++) {
            Collector collector = new Collector();
            publisher.subscribe(collector);
            assertThat(collector.error).isNull();
            assertThat(collector.completions).isEqualTo(1);
            assertThat(collector.received.toByteArray()).isEqualTo(java.util.Arrays.copyOf(bytes, length));
            assertThat(collector.buffers).hasSize(4).allMatch(ByteBuffer::isReadOnly);
        }
    }

    @Test
    void anEmptyBodyCompletesAtOnce() {
        Collector collector = new Collector();
        new ByteArrayBodyPublisher(new byte[8], 0).subscribe(collector);
        assertThat(collector.completions).isEqualTo(1);
        assertThat(collector.buffers).isEmpty();
    }

    @Test
    void nothingIsSentWithoutDemandOrAfterCancel() {
        List<ByteBuffer> got = new ArrayList<>();
        Flow.Subscription[] held = new Flow.Subscription[1];
        new ByteArrayBodyPublisher(new byte[ByteArrayBodyPublisher.SLICE * 2], ByteArrayBodyPublisher.SLICE * 2).subscribe(
                new Flow.Subscriber<>() {
                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                        held[0] = s;
                    }

                    @Override
                    public void onNext(ByteBuffer item) {
                        got.add(item);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onComplete() {
                    }
                });
        assertThat(got).isEmpty();
        held[0].request(1);
        assertThat(got).hasSize(1);
        held[0].cancel();
        held[0].request(5);
        assertThat(got).hasSize(1);
    }

    @Test
    void aNonPositiveRequestIsAnError() {
        Collector collector = new Collector() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(0);
            }
        };
        new ByteArrayBodyPublisher(new byte[4], 4).subscribe(collector);
        assertThat(collector.error).isInstanceOf(IllegalArgumentException.class);
        assertThat(collector.completions).isZero();
    }

    @Test
    void partBuffersKeepOnlyTheirSizeAndNoMoreThanAsked() {
        PartBuffers buffers = new PartBuffers(1024, 2);
        byte[] a = buffers.take();
        byte[] b = buffers.take();
        byte[] c = buffers.take();
        assertThat(a).hasSize(1024);
        buffers.give(a);
        buffers.give(b);
        buffers.give(c);
        buffers.give(new byte[10]);
        assertThat(buffers.idle()).isEqualTo(2);
        assertThat(buffers.take()).isIn(a, b);
        assertThat(buffers.idle()).isEqualTo(1);
    }
}
