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
