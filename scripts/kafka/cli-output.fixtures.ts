// Real outputs of the official CLIs (Kafka 4.4.0 unless named 3.9.2), captured from brokers started by the harness.

export const list = `TransactionalId	Coordinator	ProducerId	TransactionState	
tx-open        	1          	3         	Ongoing         	
tx-1           	1          	1         	CompleteCommit  	

`;

export const describeOpen = `CoordinatorId	TransactionalId	ProducerId	ProducerEpoch	TransactionState	TransactionTimeoutMs	CurrentTransactionStartTimeMs	TransactionDurationMs	TopicPartitions	
1            	tx-open        	3         	0            	Ongoing         	60000               	1795769827982                	2760                 	out-0,out-1    	

`;

export const describeDone = `CoordinatorId	TransactionalId	ProducerId	ProducerEpoch	TransactionState	TransactionTimeoutMs	CurrentTransactionStartTimeMs	TransactionDurationMs	TopicPartitions	
1            	tx-1           	1         	0            	CompleteCommit  	60000               	1795769827852                	4118                 	               	

`;

export const producers = `ProducerId	ProducerEpoch	LatestCoordinatorEpoch	LastSequence	LastTimestamp	CurrentTransactionStartOffset	
1         	0            	0                     	0           	1795769827975	None                         	
3         	0            	-1                    	0           	1795769827987	2                            	

`;

export const hangingEmpty = `Topic	Partition	ProducerId	ProducerEpoch	CoordinatorEpoch	StartOffset	LastTimestamp	Duration(min)	

`;

export const groupsAll44 = `
GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID                                  HOST            CLIENT-ID
g1              in              0          2               2               0               kafkajs-2a7893c2-dbf2-410e-abf9-a9884eaf4aca /127.0.0.1      kafkajs
g1              in              1          1               1               0               kafkajs-2a7893c2-dbf2-410e-abf9-a9884eaf4aca /127.0.0.1      kafkajs

GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID
g2              in              0          2               2               0               -               -               -

`;

export const groupsAll392 = `
GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID                                  HOST            CLIENT-ID
g1              in              1          1               1               0               kafkajs-7036efe4-8893-4b4d-a22a-2e7e1d9346a4 /127.0.0.1      kafkajs
g1              in              0          2               2               0               kafkajs-7036efe4-8893-4b4d-a22a-2e7e1d9346a4 /127.0.0.1      kafkajs
GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID
g2              in              0          2               2               0               -               -               -
`;

// kafka-consumer-groups --describe --all-groups --state --verbose, 4.4.0: a classic and a KIP-848 group.
export const groupStates44 = `
GROUP           COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE                GROUP-EPOCH     TARGET-ASSIGNMENT-EPOCH   #MEMBERS
gt-classic      127.0.0.1:37427  (1)      range                Stable               -               -                         1

GROUP           COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE                GROUP-EPOCH     TARGET-ASSIGNMENT-EPOCH   #MEMBERS
gt-consumer     127.0.0.1:37427  (1)      uniform              Stable               4               4                         1
`;

// kafka-consumer-groups --describe --all-groups --members --verbose, 4.4.0.
export const groupMembers44 = `
GROUP           CONSUMER-ID                                           HOST            CLIENT-ID        #PARTITIONS     CURRENT-EPOCH   CURRENT-ASSIGNMENT   TARGET-EPOCH    TARGET-ASSIGNMENT   
gt-classic      console-consumer-42700c05-ea10-48fd-a28c-5afeb24acb1a /127.0.0.1      console-consumer 3               -               gt:0,1,2             -               -                   

GROUP           CONSUMER-ID            HOST            CLIENT-ID        #PARTITIONS     CURRENT-EPOCH   CURRENT-ASSIGNMENT   TARGET-EPOCH    TARGET-ASSIGNMENT   
gt-consumer     32FSZbXhR_2gpo_87lNBIw /127.0.0.1      console-consumer 3               4               gt:0,1,2             4               gt:0,1,2            
`;

// kafka-share-groups --describe --group gt-share --state --verbose / --members --verbose, 4.4.0.
export const shareGroupState44 = `
GROUP           COORDINATOR (ID)          STATE           GROUP-EPOCH  ASSIGNMENT-EPOCH  #MEMBERS
gt-share        127.0.0.1:37427  (1)      Stable          5            5                 1
`;

export const shareGroupMembers44 = `
GROUP           CONSUMER-ID            HOST            CLIENT-ID              #PARTITIONS  MEMBER-EPOCH  ASSIGNMENT
gt-share        ST6tGz34SWyUUxy0ZEbY9w /127.0.0.1      console-share-consumer 3            5             gt:0,1,2
`;

// kafka-consumer-groups --describe --group gt-classic --members --verbose / --state --verbose, 3.9.2: the
// assignment column lost its topic names, and there are no epoch columns.
export const groupMembers392 = `
GROUP           CONSUMER-ID                                           HOST            CLIENT-ID        #PARTITIONS     ASSIGNMENT
gt-classic      console-consumer-b04ddcb3-3162-4931-ab54-e6d5a5e88bb9 /127.0.0.1      console-consumer 3               (0,1,2)
`;

export const groupState392 = `
GROUP                     COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE           #MEMBERS
gt-classic                127.0.0.1:42813  (1)      range                Stable          1
`;
