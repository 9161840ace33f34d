// Prints the marker, then looks up the current user: with cgo os/user calls glibc getpwuid_r,
// which makes the binary dynamic (PT_INTERP /lib64/ld-linux-x86-64.so.2, NEEDED libc.so.6).
package main

import (
	"fmt"
	"os"
	"os/user"
)

func main() {
	fmt.Println("IMAGEAUDIT-TEST-STARTED")
	if u, err := user.Current(); err == nil {
		fmt.Println("uid", u.Uid)
	}
	os.Exit(0)
}
