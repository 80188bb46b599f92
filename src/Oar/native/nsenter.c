/*
 * oar's namespace-entry constructor: the only C in Skiff.
 *
 * Why it exists: a .NET process always has several threads, and the kernel refuses
 * unshare(CLONE_NEWUSER) / setns(user) to a multi-threaded process. This constructor runs
 * before the .NET runtime starts, while the process is still single-threaded. It does
 * namespace entry and nothing else, then returns so that the runtime starts in the final
 * child, where managed code sets up the rootfs, credentials, seccomp and calls execve.
 *
 * It acts only when _OAR_INIT names the sync socket (SOCK_SEQPACKET) inherited from the
 * parent oar. Protocol (all integers native-endian):
 *   parent -> child  BOOTSTRAP: u32 magic, u32 clone_flags, u32 njoin, then njoin records
 *                    {u32 flag, u32 len, char path[len]}, then u32 len + timens offsets text.
 *   child  -> parent USERMAP_REQ (u32 type, i32 pid) when it has unshared a user namespace;
 *                    the parent writes uid_map/gid_map and answers USERMAP_ACK.
 *   child  -> parent CHILD_PID   (u32 type, i32 pid of the final child, as seen by the parent).
 *   child  -> parent ERROR       (u32 type, i32 errno, char text[]) and exit(1) on any failure.
 * The intermediate process exits after reporting the final child's pid; the final child
 * returns from this constructor and the managed `init` continues on the same socket.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

#define OAR_MAGIC 0x4f415231u /* "OAR1" */
#define MSG_USERMAP_REQ 1u
#define MSG_USERMAP_ACK 2u
#define MSG_CHILD_PID 3u
#define MSG_ERROR 4u
#define MAX_BOOTSTRAP (64 * 1024)

struct oar_msg {
	uint32_t type;
	int32_t value;
	char text[480];
};

static int sync_fd = -1;

static void send_msg(uint32_t type, int32_t value, const char *text)
{
	struct oar_msg m;
	memset(&m, 0, sizeof(m));
	m.type = type;
	m.value = value;
	if (text)
		strncpy(m.text, text, sizeof(m.text) - 1);
	/* Best effort: if the parent is gone there is nobody to tell. */
	while (send(sync_fd, &m, sizeof(m), MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

__attribute__((noreturn)) static void fail(const char *what, const char *path, int err)
{
	char text[480];
	if (path)
		snprintf(text, sizeof(text), "%s %s", what, path);
	else
		snprintf(text, sizeof(text), "%s", what);
	send_msg(MSG_ERROR, err, text);
	_exit(1);
}

static uint32_t take_u32(const unsigned char **p, const unsigned char *end)
{
	uint32_t v;
	if ((size_t)(end - *p) < sizeof(v))
		fail("nsenter: bootstrap message truncated", NULL, EINVAL);
	memcpy(&v, *p, sizeof(v));
	*p += sizeof(v);
	return v;
}

static void write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		fail("nsenter: open", path, errno);
	if (write(fd, data, len) != (ssize_t)len)
		fail("nsenter: write", path, errno);
	close(fd);
}

#define MAX_JOINS 16

/* Opens every namespace file first: once the mount namespace is joined, /proc/<pid> of the host is gone. */
static int open_namespace(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail("nsenter: open namespace", path, errno);
	return fd;
}

static void join_namespace(int fd, uint32_t flag, const char *path)
{
	if (setns(fd, (int)flag) < 0)
		fail("nsenter: setns", path, errno);
	close(fd);
}

static void await_usermap(void)
{
	struct oar_msg m;
	ssize_t n;
	send_msg(MSG_USERMAP_REQ, getpid(), NULL);
	do
		n = recv(sync_fd, &m, sizeof(m), 0);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(m) || m.type != MSG_USERMAP_ACK)
		fail("nsenter: waiting for the parent to write the id maps", NULL, n < 0 ? errno : EPIPE);
	if (m.value != 0)
		_exit(1); /* the parent failed and reports it itself */
	/* Become root of the new namespace (if 0 is mapped) so later steps act with full privileges. */
	if (setresgid(0, 0, 0) < 0 && errno != EINVAL)
		fail("nsenter: setresgid 0 in the new user namespace", NULL, errno);
	if (setresuid(0, 0, 0) < 0 && errno != EINVAL)
		fail("nsenter: setresuid 0 in the new user namespace", NULL, errno);
}

__attribute__((constructor)) static void oar_nsenter(void)
{
	const char *env = getenv("_OAR_INIT");
	if (!env || !*env)
		return;
	sync_fd = atoi(env);

	static unsigned char buf[MAX_BOOTSTRAP];
	ssize_t n;
	do
		n = recv(sync_fd, buf, sizeof(buf), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		fail("nsenter: read bootstrap", NULL, errno);
	if (n == 0)
		_exit(1); /* parent went away before sending anything */

	const unsigned char *p = buf, *end = buf + n;
	if (take_u32(&p, end) != OAR_MAGIC)
		fail("nsenter: bad bootstrap magic", NULL, EINVAL);
	uint32_t clone_flags = take_u32(&p, end);
	uint32_t njoin = take_u32(&p, end);

	/* Open all, then join: the user namespace first (it decides what the other setns calls may do), the
	 * mount namespace last (it replaces the /proc the paths were resolved in). */
	if (njoin > MAX_JOINS)
		fail("nsenter: too many namespaces to join", NULL, EINVAL);
	int fds[MAX_JOINS];
	uint32_t flags[MAX_JOINS];
	char paths[MAX_JOINS][256];
	for (uint32_t i = 0; i < njoin; i++) {
		uint32_t flag = take_u32(&p, end);
		uint32_t len = take_u32(&p, end);
		if (len == 0 || len >= sizeof(paths[0]) || (size_t)(end - p) < len)
			fail("nsenter: bad namespace path in bootstrap", NULL, EINVAL);
		memcpy(paths[i], p, len);
		paths[i][len] = 0;
		p += len;
		flags[i] = flag;
		fds[i] = open_namespace(paths[i]);
	}
	for (int pass = 0; pass < 3; pass++)
		for (uint32_t i = 0; i < njoin; i++) {
			int which = flags[i] == CLONE_NEWUSER ? 0 : flags[i] == CLONE_NEWNS ? 2 : 1;
			if (which == pass)
				join_namespace(fds[i], flags[i], paths[i]);
		}
	uint32_t tlen = take_u32(&p, end);
	if ((size_t)(end - p) < tlen)
		fail("nsenter: bad time offsets in bootstrap", NULL, EINVAL);
	const char *offsets = (const char *)p;

	if (clone_flags & CLONE_NEWUSER) {
		if (unshare(CLONE_NEWUSER) < 0)
			fail("nsenter: unshare user namespace", NULL, errno);
		/* The parent writes the maps; only then can we act as root inside. */
		if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
			fail("nsenter: prctl dumpable", NULL, errno);
		await_usermap();
	}

	uint32_t rest = clone_flags & ~(uint32_t)CLONE_NEWUSER;
	if (rest && unshare((int)rest) < 0) {
		int e = errno;
		char what[64];
		snprintf(what, sizeof(what), "nsenter: unshare namespaces 0x%x", rest);
		fail(what, NULL, e);
	}
	if ((clone_flags & CLONE_NEWTIME) && tlen > 0)
		write_file("/proc/self/timens_offsets", offsets, tlen);

	/* Fork so the final child is pid 1 of a new pid namespace (and a member of a new time namespace). */
	pid_t child = fork();
	if (child < 0)
		fail("nsenter: fork", NULL, errno);
	if (child > 0) {
		send_msg(MSG_CHILD_PID, child, NULL);
		_exit(0);
	}
	/* Final child. Return: the .NET runtime starts here and the managed init takes over. */
}
