-- A small, fixed day-to-day of a FreePBX contact centre (agents on extensions 3000 and 3001,
-- DID 71222333), written with the traps real CDRs hold:
-- * Amel Ben Ali (+216 98 123 456) calls in from her number written nationally (98123456) and
--   internationally (+21698123456), is called back (dst 0021698123456), calls once with her
--   number withheld from src but present in the caller id text, and joins a conference whose
--   recording Leila's row also links (the file must stay while Leila's row does);
-- * Karim (+33 6 12 34 56 78) calls from 0612345678 and from 612345678 (no trunk 0);
-- * Leila (+216 20 111 222) has a recorded call and is in the conference;
-- * a promotional caller +216981234560 merely contains Amel's digits.
INSERT INTO cdr (calldate, clid, src, dst, dcontext, channel, dstchannel, lastapp, lastdata, duration, billsec, disposition,
                 amaflags, accountcode, uniqueid, userfield, did, recordingfile, cnum, cnam, outbound_cnum, outbound_cnam,
                 dst_cnam, linkedid, peeraccount, sequence) VALUES
('2026-03-02 09:15:04', '"Amel Ben Ali" <98123456>', '98123456', '3000', 'from-did-direct', 'PJSIP/trunk-00000001', 'PJSIP/3000-00000002',
 'Dial', 'PJSIP/3000,,Ttr', 95, 80, 'ANSWERED', 3, '', '1772442904.1', '', '71222333',
 'in-71222333-98123456-20260302-091504-1772442904.1.wav', '98123456', 'Amel Ben Ali', '', '', 'Sami', '1772442904.1', '', 1),
('2026-03-02 09:30:00', '"Amel Ben Ali" <+21698123456>', '+21698123456', '3000', 'from-did-direct', 'PJSIP/trunk-00000003', '',
 'VoiceMail', '3000@default,u', 40, 40, 'NO ANSWER', 3, '', '1772443800.3', '', '71222333', '', '+21698123456', 'Amel Ben Ali',
 '', '', '', '1772443800.3', '', 3),
('2026-03-05 14:00:10', '"Sami" <3000>', '3000', '0021698123456', 'from-internal', 'PJSIP/3000-00000005', 'PJSIP/trunk-00000006',
 'Dial', 'PJSIP/0021698123456@trunk', 240, 231, 'ANSWERED', 3, '', '1772719210.5', '', '',
 'out-0021698123456-3000-20260305-140010-1772719210.5.wav', '3000', 'Sami', '71222333', 'Atlas', '', '1772719210.5', '', 5),
('2026-03-06 11:00:00', '"Karim B." <0612345678>', '0612345678', '3001', 'from-did-direct', 'PJSIP/trunk-00000007', 'PJSIP/3001-00000008',
 'Dial', 'PJSIP/3001,,Ttr', 130, 118, 'ANSWERED', 3, '', '1772794800.7', '', '71222333',
 'in-71222333-0612345678-20260306-110000-1772794800.7.wav', '0612345678', 'Karim B.', '', '', 'Nadia', '1772794800.7', '', 7),
('2026-03-06 11:20:00', '"Karim B." <612345678>', '612345678', '3000', 'from-did-direct', 'PJSIP/trunk-00000009', '',
 'VoiceMail', '3000@default,u', 35, 35, 'NO ANSWER', 3, '', '1772796000.9', '', '71222333', '', '612345678', 'Karim B.',
 '', '', '', '1772796000.9', '', 9),
('2026-03-07 16:45:00', '"Leila" <+21620111222>', '+21620111222', '3001', 'from-did-direct', 'PJSIP/trunk-00000010', 'PJSIP/3001-00000011',
 'Dial', 'PJSIP/3001,,Ttr', 300, 290, 'ANSWERED', 3, '', '1772901900.10', '', '71222333',
 'in-71222333-21620111222-20260307-164500-1772901900.10.wav', '+21620111222', 'Leila', '', '', 'Nadia', '1772901900.10', '', 10),
('2026-03-08 08:00:00', '"Promo" <+216981234560>', '+216981234560', '3000', 'from-did-direct', 'PJSIP/trunk-00000012', '',
 'VoiceMail', '3001@default,u', 20, 20, 'NO ANSWER', 3, '', '1772956800.12', '', '71222333', '', '+216981234560', 'Promo',
 '', '', '', '1772956800.12', '', 12),
('2026-03-09 10:10:10', '"Amel" <+216 98 123 456>', 'anonymous', '3000', 'from-did-direct', 'PJSIP/trunk-00000013', 'PJSIP/3000-00000014',
 'Dial', 'PJSIP/3000,,Ttr', 61, 50, 'ANSWERED', 3, '', '1773051010.13', '', '71222333',
 'in-71222333-anonymous-20260309-101010-1773051010.13.wav', 'anonymous', 'Anonymous', '', '', 'Sami', '1773051010.13', '', 13),
('2026-03-11 15:00:00', '"Amel Ben Ali" <98123456>', '98123456', '7000', 'ext-meetme', 'PJSIP/trunk-00000015', '',
 'ConfBridge', '7000', 600, 600, 'ANSWERED', 3, '', '1773241200.15', '', '71222333',
 'conf-7000-20260311-150000.wav', '98123456', 'Amel Ben Ali', '', '', '', '1773241200.15', '', 15),
('2026-03-11 15:00:00', '"Leila" <+21620111222>', '+21620111222', '7000', 'ext-meetme', 'PJSIP/trunk-00000016', '',
 'ConfBridge', '7000', 600, 600, 'ANSWERED', 3, '', '1773241200.16', '', '71222333',
 'conf-7000-20260311-150000.wav', '+21620111222', 'Leila', '', '', '', '1773241200.16', '', 16);
