import gc
import os
import signal
import sys
import threading

from . import GC_THRESHOLD

gc.set_threshold(*GC_THRESHOLD)

from .cli import main  # noqa: E402 (after the threshold: importing makes a good part of those objects)

code = 130  # the command was interrupted before it could say how it ended
try:
    code = main()
    # The command is over and has said so: a Ctrl-C now could only interrupt Python's own exit (the atexit hook of
    # the pool that draws preview images), which would print a traceback over a finished build.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
except KeyboardInterrupt:  # came as the command ended (even inside the call above): it is over all the same
    signal.signal(signal.SIGINT, signal.SIG_IGN)
if threading.active_count() == 1:
    # Nothing is left to do but free what the command held, object by object: a build holds a million (at 1,000
    # articles, 0.2 s of a build after one edit, some 13 %). Ended here instead, as mypy ends its runs, once the
    # hooks registered to run at exit have run (logging's, multiprocessing's) and what was printed is out. With a
    # thread still running, Python's own exit waits for it.
    import atexit

    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a reader that left, or a closed stream: nothing more can be said
        pass
    os._exit(code)
sys.exit(code)
