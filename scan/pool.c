/*
 * scan/pool.c: the worker pool. opts->jobs worker processes, forked when
 * the pool starts, take documents one at a time: the parent writes a job
 * number down the worker's own pipe, the worker extracts and segments the
 * document, stores the cache entry and answers on a result pipe shared by
 * all workers. Each worker runs under an address-space limit (setrlimit);
 * the parent enforces a wall-clock deadline per document. A worker that
 * crashes, overruns its deadline (and is killed) or runs out of memory is
 * that one document's error, and a fresh worker takes its place.
 *
 * Why long-lived workers rather than a fork per document: a process that
 * starts fresh for every document pays for it in page faults, a new Poppler
 * GlobalParams and a copy of the parent's page tables, about 15 ms a
 * document on the machine of the README's table (a third of the work on
 * a 17-page report). A worker still retires, and a new one is forked, after
 * a document that failed (its heap may hold what a hostile file left
 * behind) and after DHR_WORKER_DOCS documents, so nothing one document does
 * to a worker's memory lasts long.
 *
 * The parent waits with poll() on the result pipe and on a signalfd for
 * SIGCHLD, SIGINT and SIGTERM, so it needs no signal handlers that touch
 * shared state; while it waits, and before it reads each finished document,
 * the workers are busy with the next ones.
 */
#include "internal.h"
#include "dhr/extract.h"
#include <cJSON.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Documents a worker does before it retires and a fresh one is forked
 * (DHR_WORKER_DOCS in the environment sets another number, for tests). */
#define DHR_WORKER_DOCS 256

typedef struct slot {
	pid_t pid;       /* the worker, or 0 */
	int job_fd;      /* write end of its job pipe, or -1 */
	long job;        /* the job it is doing, or -1 */
	double deadline; /* of that job */
	int timed_out;   /* killed for overrunning it */
	int retiring;    /* said it will stop: send it nothing more */
	int ocr_pages;   /* pages of the job to OCR, as the worker said */
} slot;

/* A worker's answer: job `job` of slot `slot` ended with `rc` (0: entry
 * written) and the worker stops now if `retire`; or, with `ocr_total` > 0,
 * a note on the way: `ocr_done` of `ocr_total` pages of the job OCRed so
 * far. Under PIPE_BUF, so the workers' writes to the shared pipe never
 * interleave. */
typedef struct answer {
	int32_t slot, job, rc, retire, ocr_done, ocr_total;
} answer;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_sigchld(int sig)
{
	(void)sig; /* only here so that SIGCHLD is not discarded before the signalfd sees it */
}

/* Test-only fault injection: DHR_FAULT_INJECT="crash:NAME", "hang:NAME",
 * "slow:NAME" or "alloc:NAME" makes the worker for a path containing NAME
 * crash, hang, take 0.3 s longer or allocate without end, so the tests can
 * prove that the batch survives each (and interrupt a scan mid-way). */
static void inject_fault(const char *path)
{
	const char *spec = getenv("DHR_FAULT_INJECT");
	if (!spec)
		return;
	const char *colon = strchr(spec, ':');
	if (!colon || !strstr(path, colon + 1))
		return;
	if (strncmp(spec, "crash:", 6) == 0) {
		signal(SIGSEGV, SIG_DFL); /* past any sanitizer's handler: a real crash */
		raise(SIGSEGV);
	}
	if (strncmp(spec, "hang:", 5) == 0)
		for (;;)
			pause();
	if (strncmp(spec, "slow:", 5) == 0)
		usleep(300 * 1000);
	if (strncmp(spec, "alloc:", 6) == 0)
		for (;;) {
			char *p = malloc(1 << 20);
			if (!p)
				_exit(3);
			memset(p, 1, 1 << 20);
		}
}

static double ocr_page_s(const dhr_pool_opts *o)
{
	return o->ocr_timeout_s > 0 ? o->ocr_timeout_s : 60;
}

static void finish(dhr_job *job, int wstatus, const struct rusage *ru, const slot *s, const dhr_pool_opts *o)
{
	if (s->timed_out && s->ocr_pages > 0) {
		job->status = DHR_ETIMEOUT;
		snprintf(job->message, sizeof job->message,
			 "%s: no result within %.0f s (%.0f s, and %.0f s for each of %d pages to OCR; worker stopped)",
			 job->path, o->timeout_s + s->ocr_pages * ocr_page_s(o), o->timeout_s, ocr_page_s(o),
			 s->ocr_pages);
	} else if (s->timed_out) {
		job->status = DHR_ETIMEOUT;
		snprintf(job->message, sizeof job->message, "%s: no result within %.0f s (worker stopped)", job->path,
			 o->timeout_s);
	} else if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) {
		job->status = 0;
	} else if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 3) {
		job->status = DHR_EMEMORY;
		snprintf(job->message, sizeof job->message, "%s: worker ran out of memory (limit %zu MB)", job->path,
			 o->max_memory_mb);
	} else if (WIFEXITED(wstatus)) {
		job->status = DHR_EIO;
		snprintf(job->message, sizeof job->message, "%s: worker could not store its result (exit %d)",
			 job->path, WEXITSTATUS(wstatus));
	} else if (WIFSIGNALED(wstatus)) {
		int sig = WTERMSIG(wstatus);
		/* an allocation failure inside GLib or C++ ends in abort(); near the
		 * limit that is the memory limit, not a bug in the document */
		long limit_kb = (long)o->max_memory_mb * 1024;
		if ((sig == SIGABRT || sig == SIGSEGV || sig == SIGTRAP || sig == SIGBUS) && limit_kb > 0 &&
		    ru->ru_maxrss >= limit_kb / 2) {
			job->status = DHR_EMEMORY;
			snprintf(job->message, sizeof job->message, "%s: worker ran out of memory (limit %zu MB)",
				 job->path, o->max_memory_mb);
		} else if (sig == SIGKILL) {
			/* we did not send it: the kernel's OOM killer did */
			job->status = DHR_EMEMORY;
			snprintf(job->message, sizeof job->message, "%s: worker killed by the system (out of memory?)",
				 job->path);
		} else if (sig == SIGINT || sig == SIGTERM) {
			job->status = DHR_EINTERRUPTED;
			snprintf(job->message, sizeof job->message, "%s: worker stopped by signal %d", job->path, sig);
		} else {
			job->status = DHR_ECRASHED;
			snprintf(job->message, sizeof job->message, "%s: worker crashed (%s)", job->path, strsignal(sig));
		}
	}
}

/* The state of one dhr_pool_run(). */
typedef struct pool {
	dhr_job *jobs;
	size_t n_jobs, next;
	const dhr_pool_opts *o;
	slot *slots;
	int nslots, busy, interrupted;
	int res_rd, res_wr, sfd;
	const sigset_t *oldmask;
	long *finished; /* jobs finished in this round, for the callbacks */
	int n_finished;
	int err_no; /* why no worker could be started */
	size_t started, worker_docs;
} pool;

static int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len > 0) {
		ssize_t r = read(fd, p, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

/* What a worker's OCR notes need: where to write and which job it is. */
typedef struct note_to {
	int fd;
	int32_t slot, job;
} note_to;

/* In the worker: tell the parent how far OCR has got (it moves the deadline and the progress display). */
static void worker_ocr_note(int done, int total, void *payload)
{
	const note_to *n = payload;
	answer a = {n->slot, n->job, 0, 0, done, total};
	if (write(n->fd, &a, sizeof a) != (ssize_t)sizeof a) {
		/* the parent is gone or the pipe broke: the job's own answer will say so */
	}
}

/* The worker process: jobs from job_rd until EOF, a retirement or a fatal error. */
static void worker_main(pool *p, int k, int job_rd, pid_t parent)
{
	const dhr_pool_opts *o = p->o;
	/* a worker never outlives the scan: if the parent is killed outright,
	 * no one would enforce this worker's deadline */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0); /* the parent died before the line above */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, p->oldmask, NULL);
	/* only its own job pipe and the result pipe's write end stay open */
	close(p->sfd);
	close(p->res_rd);
	for (int i = 0; i < p->nslots; i++)
		if (p->slots[i].job_fd >= 0)
			close(p->slots[i].job_fd);
#if !defined(__SANITIZE_ADDRESS__)
	/* ASan and valgrind reserve huge address ranges of their own */
	if (o->max_memory_mb > 0 && !getenv("DHR_UNDER_VALGRIND")) {
		struct rlimit rl;
		rl.rlim_cur = rl.rlim_max = (rlim_t)o->max_memory_mb * 1024 * 1024;
		setrlimit(RLIMIT_AS, &rl);
	}
#endif
	/* one document kept open, so Poppler's global state outlives each job */
	dhr_extract_warm *warm = dhr_extract_warm_up();
	/* the rules (compiled before the fork) classify each document here, in
	 * parallel, and the parent reads the result from the cache; limit
	 * warnings stay the parent's (see dhr_scan_tree_classify) */
	dhr_scan_tree *tree = NULL;
	if (o->rules && dhr_scan_tree_new(&tree, o->rules, o->cache_dir, NULL, NULL, NULL) < 0)
		tree = NULL;
	for (int done = 1;; done++) {
		int32_t j;
		if (read_full(job_rd, &j, sizeof j) < 0 || j < 0 || (size_t)j >= p->n_jobs)
			break;
		const dhr_job *job = &p->jobs[j];
		inject_fault(job->path);
		dhr_error err;
		dhr_error_clear(&err);
		cJSON *entry = NULL, *labels = NULL;
		note_to nt = {p->res_wr, k, j};
		int rc = dhr_cache_build_entry(o->cache_dir, job->path, job->sha256, o->password, worker_ocr_note, &nt,
					       &entry, &err);
		const char *status = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(entry, "status"));
		int failed = !status || strcmp(status, "ok") != 0;
		if (rc < 0)
			fprintf(stderr, "dhr: worker: %s\n", err.message);
		else if (!failed && tree)
			/* only the classification it leaves in the cache matters here */
			dhr_scan_tree_classify(tree, entry, job->sha256, &labels);
		cJSON_Delete(labels);
		cJSON_Delete(entry);
		answer a = {k, j, rc, rc < 0 || failed || (size_t)done >= p->worker_docs, 0, 0};
		if (write(p->res_wr, &a, sizeof a) != (ssize_t)sizeof a || a.retire)
			break;
	}
	dhr_scan_tree_free(tree);
	dhr_extract_warm_free(warm);
	_exit(0);
}

/* Fork the worker of slot k. @return 0 or -1 (fork or pipe failed). */
static int spawn(pool *p, int k)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	fflush(NULL); /* nothing buffered may be written twice by a child */
	pid_t parent = getpid(), pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[1]);
		worker_main(p, k, fds[0], parent);
	}
	close(fds[0]);
	p->slots[k] = (slot){pid, fds[1], -1, 0, 0, 0, 0};
	p->started++;
	return 0;
}

/* Give every idle worker its next job, forking workers where a slot has none. */
static int assign(pool *p)
{
	const dhr_pool_opts *o = p->o;
	if (o->interrupted && *o->interrupted)
		p->interrupted = 1;
	for (int k = 0; k < p->nslots && !p->interrupted && p->next < p->n_jobs; k++) {
		slot *s = &p->slots[k];
		if (s->pid == 0 && spawn(p, k) < 0) {
			if (p->busy > 0)
				continue; /* try again when one finishes */
			p->err_no = errno;
			return DHR_EIO;
		}
		if (s->job >= 0 || s->retiring)
			continue;
		int32_t j = (int32_t)p->next;
		if (write(s->job_fd, &j, sizeof j) != (ssize_t)sizeof j) {
			/* the worker is gone: it is reaped below, and a new one forked */
			s->retiring = 1;
			continue;
		}
		s->job = (long)p->next++;
		s->deadline = now_s() + (o->timeout_s > 0 ? o->timeout_s : 300);
		s->timed_out = 0;
		s->ocr_pages = 0;
		p->busy++;
	}
	return 0;
}

static void job_done(pool *p, slot *s)
{
	p->finished[p->n_finished++] = s->job;
	s->job = -1;
	p->busy--;
}

/* Read every answer waiting on the result pipe. */
static void drain(pool *p)
{
	answer a;
	for (;;) {
		ssize_t r = read(p->res_rd, &a, sizeof a);
		if (r < 0 && errno == EINTR)
			continue;
		if (r != (ssize_t)sizeof a)
			return; /* EAGAIN: nothing more */
		if (a.slot < 0 || a.slot >= p->nslots)
			continue;
		slot *s = &p->slots[a.slot];
		if (s->job != a.job)
			continue; /* a late answer for a job already given up */
		dhr_job *job = &p->jobs[a.job];
		if (a.ocr_total > 0) {
			/* a note: the pages to OCR get their own time */
			if (a.ocr_done == 0 && s->ocr_pages == 0 && !s->timed_out) {
				s->ocr_pages = a.ocr_total;
				s->deadline += a.ocr_total * ocr_page_s(p->o);
			}
			if (p->o->ocr_note)
				p->o->ocr_note(job, a.ocr_done, a.ocr_total, p->o->payload);
			continue;
		}
		if (a.rc == 0) {
			job->status = 0;
		} else if (a.rc == DHR_ENOMEM) {
			job->status = DHR_EMEMORY;
			snprintf(job->message, sizeof job->message, "%s: worker ran out of memory (limit %zu MB)",
				 job->path, p->o->max_memory_mb);
		} else {
			job->status = DHR_EIO;
			snprintf(job->message, sizeof job->message, "%s: worker could not store its result", job->path);
		}
		if (a.retire)
			s->retiring = 1;
		job_done(p, s);
	}
}

/* Reap the workers that ended; a job still in the hands of one failed with it. */
static void reap(pool *p)
{
	int wstatus;
	struct rusage ru;
	pid_t pid;
	while ((pid = wait4(-1, &wstatus, WNOHANG, &ru)) > 0) {
		/* whatever it said before it ended is in the pipe by now */
		drain(p);
		for (int k = 0; k < p->nslots; k++) {
			slot *s = &p->slots[k];
			if (s->pid != pid)
				continue;
			if (s->job >= 0) {
				dhr_job *job = &p->jobs[s->job];
				finish(job, wstatus, &ru, s, p->o);
				if (p->interrupted && job->status != 0) {
					job->status = DHR_EINTERRUPTED;
					snprintf(job->message, sizeof job->message, "%s: interrupted", job->path);
				}
				if (job->status == DHR_EINTERRUPTED)
					p->interrupted = 1;
				job_done(p, s);
			}
			close(s->job_fd);
			*s = (slot){0, -1, -1, 0, 0, 0, 0};
		}
	}
}

int dhr_pool_run(dhr_job *jobs, size_t n_jobs, dhr_pool_opts *o)
{
	int nslots = o->jobs > 0 ? o->jobs : 1;
	if ((size_t)nslots > n_jobs)
		nslots = n_jobs > 0 ? (int)n_jobs : 1;
	pool p = {jobs, n_jobs, 0, o, NULL, nslots, 0, 0, -1, -1, -1, NULL, NULL, 0, 0, 0, DHR_WORKER_DOCS};
	/* a smaller lifetime, for the tests of worker replacement */
	const char *wd = getenv("DHR_WORKER_DOCS");
	if (wd && atoi(wd) > 0)
		p.worker_docs = (size_t)atoi(wd);
	p.slots = calloc((size_t)nslots, sizeof *p.slots);
	p.finished = calloc((size_t)nslots, sizeof *p.finished);
	if (!p.slots || !p.finished) {
		free(p.slots);
		free(p.finished);
		return DHR_ENOMEM;
	}
	for (int k = 0; k < nslots; k++)
		p.slots[k] = (slot){0, -1, -1, 0, 0, 0, 0};

	sigset_t set, oldmask;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	struct sigaction sa, old_chld, old_pipe;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigchld;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, &old_chld);
	sa.sa_handler = SIG_IGN; /* a worker that died leaves a pipe without reader: EPIPE, not a signal */
	sigaction(SIGPIPE, &sa, &old_pipe);
	sigprocmask(SIG_BLOCK, &set, &oldmask);
	p.oldmask = &oldmask;

	int fds[2], rc = 0;
	if (pipe2(fds, O_CLOEXEC) < 0 || (p.sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		p.err_no = errno;
		rc = DHR_EIO;
		goto out;
	}
	p.res_rd = fds[0];
	p.res_wr = fds[1];
	fcntl(p.res_rd, F_SETFL, fcntl(p.res_rd, F_GETFL) | O_NONBLOCK);

	for (;;) {
		if ((rc = assign(&p)) < 0)
			break;
		if (p.busy == 0 && (p.interrupted || p.next >= n_jobs))
			break;
		/* else there is work and, if none is out, a retiring worker to reap first */
		double wait = 1.0, t = now_s();
		for (int k = 0; k < nslots; k++)
			if (p.slots[k].job >= 0 && !p.slots[k].timed_out && p.slots[k].deadline - t < wait)
				wait = p.slots[k].deadline - t;
		struct pollfd pf[2] = {{p.res_rd, POLLIN, 0}, {p.sfd, POLLIN, 0}};
		poll(pf, 2, wait > 0 ? (int)(wait * 1000) + 1 : 0);
		struct signalfd_siginfo si;
		while (read(p.sfd, &si, sizeof si) == (ssize_t)sizeof si)
			if (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM)
				p.interrupted = 1;
		if (p.interrupted)
			for (int k = 0; k < nslots; k++)
				if (p.slots[k].job >= 0)
					kill(p.slots[k].pid, SIGKILL);
		drain(&p);
		t = now_s();
		for (int k = 0; k < nslots; k++) {
			slot *s = &p.slots[k];
			if (s->job >= 0 && !s->timed_out && t >= s->deadline) {
				s->timed_out = 1;
				kill(s->pid, SIGKILL);
			}
		}
		reap(&p);
		/* the next jobs go out before the parent does its part for the
		 * finished ones (reading and classifying their results), so that
		 * work runs beside extraction rather than between documents */
		rc = assign(&p);
		for (int i = 0; i < p.n_finished; i++)
			if (o->done)
				o->done(&jobs[p.finished[i]], o->payload);
		p.n_finished = 0;
		if (rc < 0)
			break;
	}
out:
	/* the workers see EOF on their job pipes and stop; wait for every one */
	for (int k = 0; k < nslots; k++)
		if (p.slots[k].job_fd >= 0) {
			close(p.slots[k].job_fd);
			p.slots[k].job_fd = -1;
		}
	for (int k = 0; k < nslots; k++) {
		slot *s = &p.slots[k];
		if (s->pid == 0)
			continue;
		if (s->job >= 0)
			kill(s->pid, SIGKILL);
		int wstatus;
		while (waitpid(s->pid, &wstatus, 0) < 0 && errno == EINTR)
			;
		if (s->job >= 0) {
			dhr_job *job = &jobs[s->job];
			job->status = DHR_EINTERRUPTED;
			snprintf(job->message, sizeof job->message, "%s: interrupted", job->path);
			if (o->done)
				o->done(job, o->payload);
		}
	}
	for (size_t i = p.next; i < n_jobs; i++) {
		if (rc < 0) {
			jobs[i].status = DHR_ECRASHED;
			snprintf(jobs[i].message, sizeof jobs[i].message, "%s: cannot start a worker: %s", jobs[i].path,
				 strerror(p.err_no));
		} else {
			jobs[i].status = DHR_EINTERRUPTED;
			snprintf(jobs[i].message, sizeof jobs[i].message, "%s: interrupted", jobs[i].path);
		}
	}
	if (p.res_rd >= 0)
		close(p.res_rd);
	if (p.res_wr >= 0)
		close(p.res_wr);
	if (p.sfd >= 0) {
		/* signals that arrived since the last read are still to be seen */
		struct signalfd_siginfo si;
		while (read(p.sfd, &si, sizeof si) == (ssize_t)sizeof si)
			if (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM)
				p.interrupted = 1;
		close(p.sfd);
	}
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	sigaction(SIGCHLD, &old_chld, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	free(p.finished);
	free(p.slots);
	o->workers_started = p.started;
	if (rc < 0)
		return rc;
	return p.interrupted || p.next < n_jobs ? DHR_EINTERRUPTED : 0;
}
