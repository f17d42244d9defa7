"""The citizens area: the SKM survey and its IKM (PermenPANRB 14/2017), complaints and their deadlines
(SP4N-LAPOR!), and the QR posters at the service counters."""
