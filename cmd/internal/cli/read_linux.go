package cli

import "syscall"

// readAll appends the contents of the file at path to data, growing it
// when the file is longer than its capacity. It makes the system calls
// itself: os.Open also offers each descriptor to the runtime's poller,
// which refuses a regular file, and that costs five more calls per file
// (fcntl twice, epoll_ctl, fcntl twice), a third of what reading every
// file of a repository costs in system calls.
func readAll(path string, data []byte) ([]byte, error) {
	var fd int
	var err error
	for {
		if fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0); err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := syscall.Read(fd, data[len(data):cap(data)])
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return nil, err
		case n == 0:
			return data, nil
		}
		data = data[:len(data)+n]
	}
}
