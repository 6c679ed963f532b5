: Windows_advfirewall out Policy
: inet
netsh advfirewall firewall add rule name=o_PURECLOUD-BRIDGE-SERVER-OUT-1 enable=yes interfacetype=any dir=out localip=198.51.100.144/28 remoteip=198.51.100.160/28 remoteport=389,636 protocol=tcp action=allow
netsh advfirewall firewall add rule name=o_PURECLOUD-BRIDGE-SERVER-OUT-2 enable=yes interfacetype=any dir=out localip=198.51.100.144/28 remoteip=any remoteport=53 protocol=tcp action=allow
netsh advfirewall firewall add rule name=o_PURECLOUD-BRIDGE-SERVER-OUT-3 enable=yes interfacetype=any dir=out localip=198.51.100.144/28 remoteip=any remoteport=53 protocol=udp action=allow
netsh advfirewall firewall add rule name=o_PURECLOUD-BRIDGE-SERVER-OUT-4 enable=yes interfacetype=any dir=out localip=198.51.100.144/28 remoteip=any remoteport=123 protocol=udp action=allow
netsh advfirewall firewall add rule name=o_PURECLOUD-BRIDGE-SERVER-OUT-5 enable=yes interfacetype=any dir=out localip=198.51.100.144/28 remoteip=any remoteport=443 protocol=tcp action=allow
