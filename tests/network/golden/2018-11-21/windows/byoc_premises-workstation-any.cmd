: Windows_advfirewall out Policy
: inet
netsh advfirewall firewall add rule name=o_PURECLOUD-WORKSTATION-OUT-1 enable=yes interfacetype=any dir=out localip=198.51.100.224/27,2001:db8:30::/48 remoteip=any remoteport=53 protocol=tcp action=allow
netsh advfirewall firewall add rule name=o_PURECLOUD-WORKSTATION-OUT-2 enable=yes interfacetype=any dir=out localip=198.51.100.224/27,2001:db8:30::/48 remoteip=any remoteport=53 protocol=udp action=allow
netsh advfirewall firewall add rule name=o_PURECLOUD-WORKSTATION-OUT-3 enable=yes interfacetype=any dir=out localip=198.51.100.224/27,2001:db8:30::/48 remoteip=198.51.100.128/28 remoteport=16384-32768 protocol=udp action=allow
netsh advfirewall firewall add rule name=o_PURECLOUD-WORKSTATION-OUT-4 enable=yes interfacetype=any dir=out localip=198.51.100.224/27,2001:db8:30::/48 remoteip=any remoteport=19302 protocol=tcp action=allow
netsh advfirewall firewall add rule name=o_PURECLOUD-WORKSTATION-OUT-5 enable=yes interfacetype=any dir=out localip=198.51.100.224/27,2001:db8:30::/48 remoteip=any remoteport=19302 protocol=udp action=allow
netsh advfirewall firewall add rule name=o_PURECLOUD-WORKSTATION-OUT-6 enable=yes interfacetype=any dir=out localip=198.51.100.224/27,2001:db8:30::/48 remoteip=any remoteport=443,3478 protocol=tcp action=allow
netsh advfirewall firewall add rule name=o_PURECLOUD-WORKSTATION-OUT-7 enable=yes interfacetype=any dir=out localip=198.51.100.224/27,2001:db8:30::/48 remoteip=any remoteport=3478,16384-32768 protocol=udp action=allow
