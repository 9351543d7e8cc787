"""A Searcher shared by Python threads under load; the GIL is released while searching."""

import sys
import threading

import scour
from conftest import UNDER_ASAN, run_threads


def test_threads_share_a_searcher(home_index, dev_topics):
    queries = ['"united front"', "party committee 2008", "huawei -ren", "commun*",
               "+party +tencent", "government subsidy"] + list(dev_topics.values())
    with scour.Searcher(home_index) as s:
        want = {q: [(h.id, h.score) for h in s.search(q, k=30)] for q in queries}
        want_run = s.batch_search(dev_topics, k=100, threads=1)

        def worker(n):
            for i in range(40 if UNDER_ASAN else 150):
                q = queries[(i + n) % len(queries)]
                got = [(h.id, h.score) for h in s.search(q, k=30)]
                assert got == want[q], q
                if i % 25 == 0:
                    run = s.batch_search(dev_topics, k=100, threads=2)
                    assert run.equals(want_run)

        run_threads(worker, 6)


def test_close_while_others_search(home_index):
    s = scour.Searcher(home_index)
    stop = threading.Event()
    outcomes = []

    def worker():
        while not stop.is_set():
            try:
                assert len(s.search("party", k=5)) == 5
                outcomes.append("ok")
            except ValueError as e:  # after close(): "the Searcher is closed"
                assert "closed" in str(e)
                outcomes.append("closed")
                return

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    while len(outcomes) < 20:
        pass
    s.close()
    stop.set()
    for t in threads:
        t.join()
    assert "ok" in outcomes


def test_batch_search_releases_the_gil(home_index):
    # While a long batch runs in one thread, another Python thread keeps running: it could not
    # if the batch held the GIL.
    queries = {str(i): "party committee government subsidy" for i in range(3000)}
    with scour.Searcher(home_index) as s:
        ticks = 0
        running = threading.Event()
        done = threading.Event()

        def count():
            nonlocal ticks
            running.set()
            while not done.is_set():
                ticks += 1

        old = sys.getswitchinterval()
        sys.setswitchinterval(1e-4)
        try:
            t = threading.Thread(target=count)
            t.start()
            running.wait()
            before = ticks
            s.batch_search(queries, k=100, threads=1)
            during = ticks - before
            done.set()
            t.join()
        finally:
            sys.setswitchinterval(old)
        assert during > 1000, during
