package main

import "net"

type netTCPAddr = net.TCPAddr

func listenTCP(address string) (net.Listener, error) { return net.Listen("tcp", address) }
